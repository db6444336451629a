"""Shared helpers of the query and serve tests: build folders made from Turtle, and the seed build.

Imported by ``test_query_*.py`` and ``test_serve*.py`` (it holds no tests itself). The seed build is
conftest's session fixture ``seed_build``.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/paperkg/id/"

# A small graph shaped as paperkg.mapping writes it, with answers worked out by hand in the tests.
#   Papers      issued        creators (position)                         listings
#   p1 Residual 2019-05-01    Ada 1, Alan 2                               lab (line 1), daily (line 5)
#   p2 Vision   2021 (gYear)  Ada 1, Grace 2, Alan 3                      lab (4), profile (2)
#   p3 Grade    --09-11       Grace 1, Edsger 2, Ada 3                    daily (9)
#   p4 Symbolic 2023-02       Alan 1, Ada 2, Gemini Team 3 (organization) lab (7), daily (13), profile (5)
#   p5 Untitled (no date)     Edsger 1, Ada 2                             profile (8)
#   p6 Sorting  2020-01-15    Edsger 1, Grace 2                           lab (10)
FIXTURE_TTL = """
@prefix pkg: <https://w3id.org/paperkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix paper: <https://w3id.org/paperkg/id/paper/> .
@prefix author: <https://w3id.org/paperkg/id/author/> .
@prefix org: <https://w3id.org/paperkg/id/org/> .
@prefix bench: <https://w3id.org/paperkg/id/benchmark/> .
@prefix method: <https://w3id.org/paperkg/id/method/> .
@prefix metric: <https://w3id.org/paperkg/id/metric/> .
@prefix task: <https://w3id.org/paperkg/id/task/> .
@prefix result: <https://w3id.org/paperkg/id/result/> .
@prefix category: <https://w3id.org/paperkg/id/category/> .
@prefix listing: <https://w3id.org/paperkg/id/listing/> .
@prefix record: <https://w3id.org/paperkg/id/record/> .
@prefix place: <https://w3id.org/paperkg/id/authorship/> .

author:ada-lovelace a pkg:Author ; foaf:name "Ada Lovelace" ; foaf:givenName "Ada" ;
    foaf:familyName "Lovelace" ; skos:altLabel "Lovelace, Ada" .
author:alan-turing a pkg:Author ; foaf:name "Alan Turing" ; skos:altLabel "Turing, A. M." .
author:grace-hopper a pkg:Author ; foaf:name "Grace Hopper" .
author:edsger-dijkstra a pkg:Author ; foaf:name "Edsger Dijkstra" .
org:deepmind-lab a pkg:Organization ; foaf:name "DeepMind Lab" .
org:gemini-team a pkg:Organization ; foaf:name "Gemini Team" .
@prefix collab: <https://w3id.org/paperkg/id/collaboration/> .
collab:ada-lovelace--alan-turing a pkg:Collaboration ; pkg:sharedPapers 3 ;
    pkg:collaborator author:ada-lovelace, author:alan-turing .
collab:ada-lovelace--edsger-dijkstra a pkg:Collaboration ; pkg:sharedPapers 2 ;
    pkg:collaborator author:ada-lovelace, author:edsger-dijkstra .
collab:ada-lovelace--grace-hopper a pkg:Collaboration ; pkg:sharedPapers 2 ;
    pkg:collaborator author:ada-lovelace, author:grace-hopper .
collab:edsger-dijkstra--grace-hopper a pkg:Collaboration ; pkg:sharedPapers 2 ;
    pkg:collaborator author:edsger-dijkstra, author:grace-hopper .

bench:imagenet a pkg:Benchmark ; rdfs:label "ImageNet" ; skos:altLabel "ILSVRC-2012" .
bench:coco a pkg:Benchmark ; rdfs:label "COCO" .
bench:gsm8k a pkg:Benchmark ; rdfs:label "GSM8K" .
method:resnet a pkg:Method ; rdfs:label "ResNet" .
method:vit a pkg:Method ; rdfs:label "ViT" ; skos:altLabel "Vision Transformer" .
method:lion a pkg:Method ; rdfs:label "Lion" .
method:adam a pkg:Method ; rdfs:label "Adam" .
metric:top-1-accuracy a pkg:Metric ; rdfs:label "top-1 accuracy" .
metric:error-rate a pkg:Metric ; rdfs:label "error rate" .
metric:fid a pkg:Metric ; rdfs:label "FID" .
task:image-classification a pkg:Task ; rdfs:label "image classification" .
category:cs.CV a pkg:Category ; rdfs:label "Computer Vision and Pattern Recognition" ;
    skos:notation "cs.CV" ; pkg:arxivClass "cs.CV" .
category:cs.LG a pkg:Category ; rdfs:label "Machine Learning" ; skos:notation "cs.LG" ;
    pkg:arxivClass "cs.LG" .

listing:lab-txt a pkg:Listing ; rdfs:label "lab.txt" ; pkg:fileName "lab.txt" ;
    pkg:readerFormat "lab-list" ; pkg:recordCount 4 .
listing:daily-txt a pkg:Listing ; rdfs:label "daily.txt" ; pkg:fileName "daily.txt" ;
    pkg:readerFormat "daily-papers" ; pkg:recordCount 3 .
listing:profile-txt a pkg:Listing ; rdfs:label "profile.txt" ; pkg:fileName "profile.txt" ;
    pkg:readerFormat "profile-export" ; pkg:recordCount 3 ; pkg:owner author:ada-lovelace .

paper:residual-networks-revisited a pkg:Paper ; dcterms:title "Residual Networks Revisited" ;
    dcterms:issued "2019-05-01"^^xsd:date ; pkg:dateAsWritten "May 1, 2019" ;
    dcterms:creator author:ada-lovelace, author:alan-turing ;
    pkg:authorship place:residual-networks-revisited-1, place:residual-networks-revisited-2 ;
    pkg:hasCode true ; pkg:codeRepository <https://github.com/example/resnet> ;
    pkg:upvotes 7 ; pkg:category category:cs.CV ; pkg:affiliation org:deepmind-lab ;
    pkg:evaluatesOn bench:imagenet, bench:coco ; pkg:usesMethod method:resnet, method:vit ;
    pkg:addressesTask task:image-classification ;
    pkg:mentions bench:imagenet, bench:coco, method:resnet, method:vit, task:image-classification ;
    pkg:reportsResult result:r1, result:r2, result:r3, result:r8 ;
    prov:wasDerivedFrom listing:lab-txt, listing:daily-txt ;
    pkg:sourceRecord record:lab-txt-L1, record:daily-txt-L5 .
place:residual-networks-revisited-1 a pkg:Authorship ; pkg:author author:ada-lovelace ;
    pkg:position 1 ; pkg:nameAsWritten "Ada Lovelace" .
place:residual-networks-revisited-2 a pkg:Authorship ; pkg:author author:alan-turing ;
    pkg:position 2 ; pkg:nameAsWritten "Alan Turing" .
record:lab-txt-L1 a pkg:SourceRecord ; pkg:fromListing listing:lab-txt ; pkg:line 1 ;
    pkg:titleAsWritten "Residual Networks Revisited" .
record:daily-txt-L5 a pkg:SourceRecord ; pkg:fromListing listing:daily-txt ; pkg:line 5 ;
    pkg:titleAsWritten "Residual networks revisited" .

paper:vision-transformers-at-scale a pkg:Paper ; dcterms:title "Vision Transformers at Scale" ;
    dcterms:issued "2021"^^xsd:gYear ;
    dcterms:creator author:ada-lovelace, author:grace-hopper, author:alan-turing ;
    pkg:authorship place:vision-transformers-at-scale-1, place:vision-transformers-at-scale-2,
        place:vision-transformers-at-scale-3 ;
    pkg:hasCode false ; pkg:upvotes 12 ; pkg:category category:cs.CV, category:cs.LG ;
    pkg:evaluatesOn bench:imagenet ; pkg:proposes method:vit ; pkg:usesMethod method:resnet ;
    pkg:addressesTask task:image-classification ;
    pkg:reportsResult result:r4, result:r5 ;
    prov:wasDerivedFrom listing:lab-txt, listing:profile-txt ;
    pkg:sourceRecord record:lab-txt-L4, record:profile-txt-L2 .
place:vision-transformers-at-scale-1 a pkg:Authorship ; pkg:author author:ada-lovelace ;
    pkg:position 1 ; pkg:nameAsWritten "Lovelace, Ada" .
place:vision-transformers-at-scale-2 a pkg:Authorship ; pkg:author author:grace-hopper ;
    pkg:position 2 ; pkg:nameAsWritten "Hopper, Grace" .
place:vision-transformers-at-scale-3 a pkg:Authorship ; pkg:author author:alan-turing ;
    pkg:position 3 ; pkg:nameAsWritten "Turing, A. M." .
record:lab-txt-L4 a pkg:SourceRecord ; pkg:fromListing listing:lab-txt ; pkg:line 4 .
record:profile-txt-L2 a pkg:SourceRecord ; pkg:fromListing listing:profile-txt ; pkg:line 2 .

paper:a-new-benchmark-for-grade-school-math a pkg:Paper ;
    dcterms:title "A New Benchmark for Grade School Math" ;
    dcterms:issued "--09-11"^^xsd:gMonthDay ; pkg:dateAsWritten "Sep 11" ;
    dcterms:creator author:grace-hopper, author:edsger-dijkstra, author:ada-lovelace ;
    pkg:authorship place:a-new-benchmark-for-grade-school-math-1,
        place:a-new-benchmark-for-grade-school-math-2, place:a-new-benchmark-for-grade-school-math-3 ;
    pkg:codeRepository <https://github.com/example/gsm> ; pkg:upvotes 30 ;
    pkg:category category:cs.LG ; pkg:proposes bench:gsm8k ; pkg:usesMethod method:adam ;
    prov:wasDerivedFrom listing:daily-txt ; pkg:sourceRecord record:daily-txt-L9 .
place:a-new-benchmark-for-grade-school-math-1 a pkg:Authorship ; pkg:author author:grace-hopper ;
    pkg:position 1 ; pkg:nameAsWritten "Grace Hopper" .
place:a-new-benchmark-for-grade-school-math-2 a pkg:Authorship ; pkg:author author:edsger-dijkstra ;
    pkg:position 2 ; pkg:nameAsWritten "Edsger Dijkstra" .
place:a-new-benchmark-for-grade-school-math-3 a pkg:Authorship ; pkg:author author:ada-lovelace ;
    pkg:position 3 ; pkg:nameAsWritten "Ada Lovelace" .
record:daily-txt-L9 a pkg:SourceRecord ; pkg:fromListing listing:daily-txt ; pkg:line 9 .

paper:symbolic-discovery-of-optimizers a pkg:Paper ; dcterms:title "Symbolic Discovery of Optimizers" ;
    dcterms:issued "2023-02"^^xsd:gYearMonth ;
    dcterms:creator author:alan-turing, author:ada-lovelace, org:gemini-team ;
    pkg:authorship place:symbolic-discovery-of-optimizers-1, place:symbolic-discovery-of-optimizers-2,
        place:symbolic-discovery-of-optimizers-3 ;
    pkg:hasCode true ; pkg:affiliation org:deepmind-lab ;
    pkg:proposes method:lion ; pkg:usesMethod method:adam ;
    pkg:evaluatesOn bench:imagenet, bench:gsm8k ; pkg:reportsResult result:r6 ;
    prov:wasDerivedFrom listing:lab-txt, listing:daily-txt, listing:profile-txt ;
    pkg:sourceRecord record:lab-txt-L7, record:daily-txt-L13, record:profile-txt-L5 .
place:symbolic-discovery-of-optimizers-1 a pkg:Authorship ; pkg:author author:alan-turing ;
    pkg:position 1 ; pkg:nameAsWritten "Alan Turing" .
place:symbolic-discovery-of-optimizers-2 a pkg:Authorship ; pkg:author author:ada-lovelace ;
    pkg:position 2 ; pkg:nameAsWritten "Ada Lovelace" .
place:symbolic-discovery-of-optimizers-3 a pkg:Authorship ; pkg:author org:gemini-team ;
    pkg:position 3 ; pkg:nameAsWritten "Gemini Team" .
record:lab-txt-L7 a pkg:SourceRecord ; pkg:fromListing listing:lab-txt ; pkg:line 7 .
record:daily-txt-L13 a pkg:SourceRecord ; pkg:fromListing listing:daily-txt ; pkg:line 13 .
record:profile-txt-L5 a pkg:SourceRecord ; pkg:fromListing listing:profile-txt ; pkg:line 5 .

paper:untitled-workshop-note a pkg:Paper ; dcterms:title "Untitled Workshop Note" ;
    dcterms:creator author:edsger-dijkstra, author:ada-lovelace ;
    pkg:authorship place:untitled-workshop-note-1, place:untitled-workshop-note-2 ;
    prov:wasDerivedFrom listing:profile-txt ; pkg:sourceRecord record:profile-txt-L8 .
place:untitled-workshop-note-1 a pkg:Authorship ; pkg:author author:edsger-dijkstra ;
    pkg:position 1 ; pkg:nameAsWritten "Edsger Dijkstra" .
place:untitled-workshop-note-2 a pkg:Authorship ; pkg:author author:ada-lovelace ;
    pkg:position 2 ; pkg:nameAsWritten "Lovelace, Ada" .
record:profile-txt-L8 a pkg:SourceRecord ; pkg:fromListing listing:profile-txt ; pkg:line 8 .

paper:sorting-networks a pkg:Paper ; dcterms:title "Sorting Networks" ;
    dcterms:issued "2020-01-15"^^xsd:date ;
    dcterms:creator author:edsger-dijkstra, author:grace-hopper ;
    pkg:authorship place:sorting-networks-1, place:sorting-networks-2 ;
    pkg:evaluatesOn bench:coco ;
    prov:wasDerivedFrom listing:lab-txt ; pkg:sourceRecord record:lab-txt-L10 .
place:sorting-networks-1 a pkg:Authorship ; pkg:author author:edsger-dijkstra ; pkg:position 1 ;
    pkg:nameAsWritten "Edsger Dijkstra" .
place:sorting-networks-2 a pkg:Authorship ; pkg:author author:grace-hopper ; pkg:position 2 ;
    pkg:nameAsWritten "Grace Hopper" .
record:lab-txt-L10 a pkg:SourceRecord ; pkg:fromListing listing:lab-txt ; pkg:line 10 .

# Results on ImageNet: r2 is a gain (relative), so no leaderboard shows it.
result:r1 a pkg:Result ; pkg:onBenchmark bench:imagenet ; pkg:metric metric:top-1-accuracy ;
    pkg:value 76.5 ; pkg:unit "%" ; pkg:ofMethod method:resnet ; pkg:relative false ;
    pkg:evidence "ResNet reaches 76.5% top-1 accuracy on ImageNet." .
result:r2 a pkg:Result ; pkg:onBenchmark bench:imagenet ; pkg:metric metric:top-1-accuracy ;
    pkg:value 2.1 ; pkg:unit "%" ; pkg:relative true ; pkg:comparedTo method:vit ;
    pkg:evidence "2.1% better than ViT on ImageNet." .
result:r3 a pkg:Result ; pkg:onBenchmark bench:imagenet ; pkg:metric metric:error-rate ;
    pkg:value 23.5 ; pkg:unit "%" ; pkg:ofMethod method:resnet ; pkg:relative false ;
    pkg:evidence "ResNet has a 23.5% error rate on ImageNet." .
result:r4 a pkg:Result ; pkg:onBenchmark bench:imagenet ; pkg:metric metric:top-1-accuracy ;
    pkg:value 88.5 ; pkg:unit "%" ; pkg:ofMethod method:vit ; pkg:relative false ;
    pkg:evidence "ViT reaches 88.5% top-1 accuracy on ImageNet." .
result:r5 a pkg:Result ; pkg:onBenchmark bench:imagenet ; pkg:metric metric:error-rate ;
    pkg:value 11.5 ; pkg:unit "%" ; pkg:ofMethod method:vit ; pkg:relative false ;
    pkg:evidence "ViT has an 11.5% error rate on ImageNet." .
result:r6 a pkg:Result ; pkg:onBenchmark bench:imagenet ; pkg:metric metric:top-1-accuracy ;
    pkg:value 91.1 ; pkg:unit "%" ; pkg:ofMethod method:lion ; pkg:relative false ;
    pkg:evidence "Lion reaches 91.1% top-1 accuracy on ImageNet." .
result:r8 a pkg:Result ; pkg:onBenchmark bench:coco ; pkg:metric metric:fid ; pkg:value 3.2 ;
    pkg:ofMethod method:vit ; pkg:relative false ; pkg:evidence "ViT gets an FID of 3.2 on COCO." .
"""


def make_build(directory: Path, turtle: str) -> Path:
    """A build folder laid out as ``paperkg build`` writes it (see paperkg.store), holding ``turtle``."""
    import pyoxigraph as ox

    from paperkg.store import TURTLE_NAME, Generation

    directory.mkdir(parents=True, exist_ok=True)
    generation = Generation(directory)
    store = ox.Store(str(generation.store_dir))
    store.bulk_load(input=turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    generation.file(TURTLE_NAME).write_text(turtle, encoding="utf-8")
    generation.publish()
    return directory


def _scratch(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def fixture_dir() -> Path:
    """The build folder of FIXTURE_TTL (made once per test session; treat it as read-only)."""
    return make_build(_scratch("paperkg-query-fixture-") / "build", FIXTURE_TTL)


def seed_has(directory: Path, class_name: str) -> bool:
    """Whether the graph has any node of ``pkg:<class_name>`` (entity extraction may be absent)."""
    from paperkg.sparql import query

    return query(f"ASK {{ ?x a pkg:{class_name} }}", directory).boolean


def need_in_seeds(directory: Path, class_name: str) -> None:
    if not seed_has(directory, class_name):
        pytest.skip(f"the seed graph has no pkg:{class_name} yet (entity extraction not in this build)")
