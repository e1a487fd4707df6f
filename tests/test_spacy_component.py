import spacy
from spacy import displacy

import extractor.spacy_component  # noqa: F401  (registers the factory without the entry point too)
from extractor.nlp import blank_nlp


def test_syllable_tokenizer_keeps_every_character():
    for text in ["Chiều 21/5, HĐND  quận\n\nĐồ Sơn ", "", " x", "30.778 hồ sơ; 1,5 tỷ"]:
        assert blank_nlp()(text).text == text
    assert [t.text for t in blank_nlp()("21/5, 30.778")] == ["21", "/", "5", ",", "30.778"]


def test_add_pipe_puts_facts_in_doc_spans():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = blank_nlp().tokenizer
    nlp.add_pipe("vnextract", config={"published_at": "2020-05-22"})
    doc = nlp("Chiều 21/5, quận đã giải quyết 30.778 hồ sơ.")
    assert set(doc.spans) == {"dates", "officials", "quantities", "organizations", "locations"}
    record = doc._.vnextract_record
    assert record is not None and record.text == doc.text
    for family in ("dates", "quantities"):
        assert len(doc.spans[family]) == len(getattr(record, family))
        for span, fact in zip(doc.spans[family], getattr(record, family)):
            assert span.start_char <= fact.start and span.end_char >= fact.end
            assert span._.vnextract["value"] == fact.value
    html = displacy.render(doc, style="span", options={"spans_key": "dates"}, page=False)
    assert "Chiều" in html
