import json
import unicodedata
import warnings
from pathlib import Path

import pytest
import spacy
from spacy import displacy
from spacy.tokens import Doc, DocBin

import extractor.spacy_component  # noqa: F401  (registers the factory without the entry point too)
from extractor.nlp import blank_nlp
from extractor.normalize import normalize_text
from extractor.spacy_component import LABEL_COLOURS, displacy_options

REPO = Path(__file__).resolve().parent.parent
CORPUS_SETS = ["corpus/articles", "corpus/holdout", "corpus/holdout2", "corpus/holdout3", "corpus/holdout4", "corpus/holdout5", "corpus/holdout6", "corpus/holdout7", "corpus/holdout8"]
REGISTERED = {"nlp": {"tokenizer": {"@tokenizers": "vnextract.SyllableTokenizer.v1"}}}
VI_WITHOUT_PYVI = {"nlp": {"tokenizer": {"use_pyvi": False}}}
TEXT = ("Chiều 22/5, đồng chí Trần Minh Đức, Phó Bí thư Quận ủy, Chủ tịch UBND quận Lê Chân chủ trì hội nghị. "
        "Quận đã giải quyết 30.778 hồ sơ, tỷ lệ đúng hạn đạt 98,5%; 15/15 phường đạt chuẩn.")


def _pipeline(lang: str, config: dict | None = None, **settings) -> spacy.Language:
    nlp = spacy.blank(lang, config=config or {})
    nlp.add_pipe("vnextract", config=settings)
    return nlp


def _corpus_articles() -> list[dict]:
    articles = []
    for folder in CORPUS_SETS:
        for path in sorted((REPO / folder).glob("*.json")):
            articles.append(json.loads(path.read_text(encoding="utf-8")))
    return articles


def test_syllable_tokenizer_keeps_every_character():
    for text in ["Chiều 21/5, HĐND  quận\n\nĐồ Sơn ", "", " x", "30.778 hồ sơ; 1,5 tỷ"]:
        assert blank_nlp()(text).text == text
    assert [t.text for t in blank_nlp()("21/5, 30.778")] == ["21", "/", "5", ",", "30.778"]


def test_a_config_names_the_registered_tokenizer():
    nlp = spacy.blank("vi", config=REGISTERED)
    assert type(nlp.tokenizer).__name__ == "SyllableTokenizer"
    assert [t.text for t in nlp("Chiều 22/5, 98,5%;")] == ["Chiều", "22", "/", "5", ",", "98,5", "%", ";"]
    # The config round-trips through spaCy's own serialization of a pipeline.
    again = spacy.util.load_model_from_config(nlp.config)
    assert type(again.tokenizer).__name__ == "SyllableTokenizer"


def test_add_pipe_puts_facts_in_doc_spans():
    nlp = _pipeline("vi", REGISTERED, published_at="2020-05-22")
    doc = nlp("Chiều 21/5, quận đã giải quyết 30.778 hồ sơ.")
    assert set(doc.spans) == {"dates", "officials", "quantities", "organizations", "locations", "titles", "roles"}
    record = doc._.vnextract_record
    assert isinstance(record, dict) and record["text"] == doc.text
    for family in ("dates", "quantities"):
        assert len(doc.spans[family]) == len(record[family])
        for span, fact in zip(doc.spans[family], record[family]):
            assert (span.start_char, span.end_char, span.text) == (fact["start"], fact["end"], fact["text"])
            assert span._.vnextract["value"] == fact["value"]
    html = displacy.render(doc, style="span", options={"spans_key": "dates"}, page=False)
    assert "Chiều" in html


@pytest.mark.parametrize("lang,config", [("vi", REGISTERED), ("xx", None), ("vi", VI_WITHOUT_PYVI)],
                         ids=["registered", "blank-xx", "vi-without-pyvi"])
def test_every_corpus_fact_span_is_its_fact_text(lang, config):
    nlp = _pipeline(lang, config)
    articles = _corpus_articles()
    assert len(articles) >= 60
    checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a span that had to be widened warns: make it fail here
        for article in articles:
            doc = nlp.make_doc(article["text"])
            doc.user_data["published_at"] = article.get("published_at")
            doc = nlp(doc)
            record = doc._.vnextract_record
            # A few articles keep an old tone mark ("Thuỷ"): their facts land on the user's text.
            same = record["text"] == doc.text
            as_written = (lambda text: text) if same else normalize_text
            for family in ("dates", "quantities", "organizations", "locations"):
                assert [as_written(s.text) for s in doc.spans[family]] == [f["text"] for f in record[family]], \
                    (article["id"], family)
                if same:
                    assert [(s.start_char, s.end_char) for s in doc.spans[family]] == \
                           [(f["start"], f["end"]) for f in record[family]]
                checked += len(record[family])
            mentions = [record["text"][m["start"]:m["end"]] for o in record["officials"] for m in o["mentions"]]
            assert [as_written(s.text) for s in doc.spans["officials"]] == mentions
            titles = [t["text"] for o in record["officials"] for t in o["title_spans"]]
            assert titles == [t for o in record["officials"] for t in o["titles"]]
            assert [as_written(s.text) for s in doc.spans["titles"]] == titles
            for where in (w for o in record["officials"] for w in o["title_spans"] + o["role_spans"]):
                assert record["text"][where["start"]:where["end"]] == where["text"]
            roles = [r["text"] for o in record["officials"] for r in o["role_spans"]]
            assert [as_written(s.text) for s in doc.spans["roles"]] == roles
            assert [s._.vnextract["role"] for s in doc.spans["roles"]] == [r for o in record["officials"] for r in o["roles"]]
            checked += len(mentions) + len(titles) + len(roles)
    assert checked > 1000


def test_whitespace_tokenizers_no_longer_swallow_punctuation():
    doc = _pipeline("vi", VI_WITHOUT_PYVI, published_at="2020-05-22")(TEXT)
    texts = {s.text for key in doc.spans for s in doc.spans[key]}
    assert {"Chiều 22/5", "98,5%", "30.778 hồ sơ", "15/15 phường"} <= texts
    assert not any(t.endswith((",", ";", ".")) for t in texts)
    assert doc.text == TEXT  # splitting tokens keeps every character


def test_facts_land_on_text_that_normalization_changes():
    nlp = _pipeline("vi", REGISTERED, published_at="2020-05-22")
    messy = unicodedata.normalize("NFD", TEXT.replace("Ủy", "Uỷ").replace(", ", ",\u00a0 "))
    assert normalize_text(messy) == TEXT
    clean, doc = nlp(TEXT), nlp(messy)
    assert doc.text == messy
    for key in clean.spans:
        assert len(doc.spans[key]) == len(clean.spans[key]) > 0 or key == "titles", key
        for span, reference in zip(doc.spans[key], clean.spans[key]):
            assert normalize_text(span.text) == reference.text
            assert span.label_ == reference.label_


def test_published_at_is_per_document_with_as_tuples():
    nlp = _pipeline("vi", REGISTERED)
    texts = [("Ngày 19/12, quận họp.", {"published_at": "2025-11-24"}),
             ("Ngày 19/12, quận họp.", {"published_at": "2021-01-03"})]
    values = [doc.spans["dates"][0]._.vnextract["value"] for doc, _ in nlp.pipe(texts, as_tuples=True)]
    assert values == ["2025-12-19", "2020-12-19"]
    doc = nlp.make_doc("Ngày 19/12, quận họp.")
    doc.user_data["published_at"] = "2025-11-24"
    assert nlp(doc).spans["dates"][0]._.vnextract["value"] == "2025-12-19"


def _plain(value):
    return json.loads(json.dumps(value))  # msgpack (DocBin) gives tuples where JSON has lists


def _summary(doc: Doc) -> list:
    return _plain([(key, s.start_char, s.end_char, s.label_, s._.vnextract) for key in sorted(doc.spans) for s in doc.spans[key]])


def test_pipe_with_two_processes_matches_one():
    nlp = _pipeline("vi", REGISTERED)
    articles = _corpus_articles()[:8]
    items = [(a["text"], {"published_at": a.get("published_at")}) for a in articles]
    one = [(_summary(d), d._.vnextract_record) for d, _ in nlp.pipe(items, as_tuples=True)]
    two = [(_summary(d), d._.vnextract_record) for d, _ in nlp.pipe(items, as_tuples=True, n_process=2, batch_size=2)]
    assert two == one
    assert all(record["dates"] for _, record in one)


def test_docbin_and_to_bytes_round_trip():
    nlp = _pipeline("vi", REGISTERED, published_at="2024-03-15")
    docs = [nlp(TEXT), nlp("Năm 2023, quận có 12 phường.")]
    restored = list(DocBin(docs=docs, store_user_data=True).from_bytes(
        DocBin(docs=docs, store_user_data=True).to_bytes()).get_docs(nlp.vocab))
    assert [_summary(d) for d in restored] == [_summary(d) for d in docs]
    assert _plain(restored[0]._.vnextract_record) == docs[0]._.vnextract_record
    again = Doc(nlp.vocab).from_bytes(docs[0].to_bytes())
    assert _summary(again) == _summary(docs[0]) and again._.vnextract_record["id"] == docs[0]._.vnextract_record["id"]


def test_displacy_has_a_colour_for_every_label_and_ents_read_well():
    nlp = _pipeline("vi", REGISTERED, published_at="2020-05-22", ents=True)
    doc = nlp(TEXT)
    labels = {s.label_ for key in doc.spans for s in doc.spans[key]} | {e.label_ for e in doc.ents}
    assert {"DATE", "OFFICIAL", "PERCENT", "COUNT", "RATIO", "ORGANIZATION", "LOCATION"} <= labels
    assert labels <= set(LABEL_COLOURS)
    for key in ("dates", "officials", "quantities", "organizations", "locations"):
        html = displacy.render(doc, style="span", options=displacy_options(key), page=False)
        for span in doc.spans[key]:
            assert LABEL_COLOURS[span.label_] in html
    assert {e.label_ for e in doc.ents} <= {"DATE", "OFFICIAL", "QUANTITY", "ORG", "LOC"}
    html = displacy.render(doc, style="ent", options=displacy_options(), page=False)
    assert "Chiều 22/5" in html and LABEL_COLOURS["DATE"] in html
