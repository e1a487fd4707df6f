"""vnextract: structured facts from Vietnamese government-portal news.

>>> import extractor
>>> rec = extractor.extract_text("Chiều 21/5, họp.", published_at="2020-05-22")
>>> rec.to_dict()["schema_version"]
'1'
"""

from .api import extract_document, extract_html, extract_many, extract_text, extract_url
from .research import export, people
from .record import DateFact, Location, Official, Organization, Quantity, Record
from .rules_loader import Rules, load_rules
from .version import __version__

__all__ = [
    "extract_text", "extract_html", "extract_url", "extract_many", "extract_document",
    "Record", "DateFact", "Quantity", "Official", "Organization", "Location",
    "Rules", "load_rules", "__version__", "export", "people",
]
