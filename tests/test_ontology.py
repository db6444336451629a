"""The vocabulary (ontology/paperkg.ttl), its Python namespace (PKG) and the SHACL shapes agree."""

from inspect import get_annotations
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from paperkg.errors import PaperKGError
from paperkg.namespaces import (
    DCTERMS,
    DEFAULT_BASE,
    FOAF,
    OWL,
    PKG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    bind_prefixes,
)
from paperkg.validate import ValidationReport, load_ontology, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
PACKAGED_DIR = ROOT / "src" / "paperkg" / "data" / "ontology"
PKG_NS = str(PKG)
ONTOLOGY_IRI = URIRef("https://w3id.org/paperkg/ontology")

CONTRACT_CLASSES = [
    "Paper", "Author", "Organization", "Authorship", "Benchmark", "Method", "Task", "Metric", "Result",
    "Category", "Listing",
]  # fmt: skip
CONTRACT_PROPERTIES = [
    "dateAsWritten", "authorship", "author", "position", "nameAsWritten", "authorCount",
    "authorListComplete", "affiliation", "category", "hasCode", "codeRepository", "upvotes", "proposes",
    "usesMethod", "evaluatesOn", "addressesTask", "reportsResult", "onBenchmark", "metric", "value",
    "ofMethod", "unit", "evidence", "relative", "comparedTo", "line",
]  # fmt: skip
ADDED_CLASSES = ["SourceRecord", "Collaboration"]
ADDED_PROPERTIES = [
    "sourceRecord", "fromListing", "titleAsWritten", "readerFormat", "fileName", "sha256", "recordCount",
    "owner", "pageDate", "arxivClass", "usesMetric", "mentions", "collaborator", "sharedPapers",
]  # fmt: skip
# Reused terms the graph uses: declared in the ontology with a note, never redefined.
REUSED_TERMS = [
    DCTERMS.title, DCTERMS.abstract, DCTERMS.issued, DCTERMS.creator, FOAF.name, FOAF.givenName,
    FOAF.familyName, RDFS.label, SKOS.altLabel, SKOS.notation, PROV.wasDerivedFrom, DCTERMS.identifier,
    SCHEMA.url,
]  # fmt: skip
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "paperkg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def declared_pkg_terms(ontology: Graph) -> dict[str, URIRef]:
    """Local name -> IRI of every pkg: term the ontology types as a class or property."""
    terms = {}
    for term_type in TERM_TYPES:
        for subject in ontology.subjects(RDF.type, term_type):
            if isinstance(subject, URIRef) and subject.startswith(PKG_NS):
                terms[subject[len(PKG_NS) :]] = subject
    return terms


def pkg_namespace_names() -> set[str]:
    return {name for name in get_annotations(PKG) if not name.startswith("_")}


def pkg_iris_in(graph: Graph) -> set[URIRef]:
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node.startswith(PKG_NS) and node != URIRef(PKG_NS)
    }


# --- the ontology ------------------------------------------------------------------------------------


def test_ontology_header(ontology: Graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (RDFS.label, RDFS.comment, OWL.versionInfo, OWL.versionIRI, DCTERMS.description,
                      DCTERMS.license, DCTERMS.created):  # fmt: skip
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate
    # The header documents where line numbers live, as the contract asks.
    assert "pkg:line" in ontology.value(ONTOLOGY_IRI, RDFS.comment)


def test_every_pkg_term_has_label_and_comment(ontology: Graph):
    terms = declared_pkg_terms(ontology)
    assert len(terms) >= len(CONTRACT_CLASSES) + len(CONTRACT_PROPERTIES)
    for name, term in terms.items():
        label = ontology.value(term, RDFS.label)
        comment = ontology.value(term, RDFS.comment)
        assert isinstance(label, Literal) and label.strip(), f"pkg:{name} has no rdfs:label"
        assert isinstance(comment, Literal) and len(comment) > 15, f"pkg:{name} has no real rdfs:comment"


def test_every_pkg_property_is_typed_with_domain_and_range(ontology: Graph):
    terms = declared_pkg_terms(ontology)
    properties = {
        name: term for name, term in terms.items() if set(ontology.objects(term, RDF.type)) & PROPERTY_TYPES
    }
    assert len(properties) == len(CONTRACT_PROPERTIES) + len(ADDED_PROPERTIES)
    for name, term in properties.items():
        kinds = set(ontology.objects(term, RDF.type)) & PROPERTY_TYPES
        assert len(kinds) == 1, f"pkg:{name} must be exactly one of owl:ObjectProperty, owl:DatatypeProperty"
        assert ontology.value(term, RDFS.domain) is not None, f"pkg:{name} has no rdfs:domain"
        if name != "codeRepository":  # its object is any IRI (a URL), so it has no range class
            assert ontology.value(term, RDFS.range) is not None, f"pkg:{name} has no rdfs:range"
        if (term, RDF.type, OWL.ObjectProperty) in ontology and name != "codeRepository":
            assert not ontology.value(term, RDFS.range).startswith(PREFIXES["xsd"]), (
                f"pkg:{name} range is xsd:"
            )
        if (term, RDF.type, OWL.DatatypeProperty) in ontology:
            assert ontology.value(term, RDFS.range).startswith(PREFIXES["xsd"]), (
                f"pkg:{name} range is not xsd:"
            )


def test_every_pkg_iri_used_in_the_ontology_is_declared(ontology: Graph):
    declared = set(declared_pkg_terms(ontology).values())
    used = pkg_iris_in(ontology)
    assert used and used <= declared, sorted(used - declared)


def test_class_and_property_alignments(ontology: Graph):
    expected_superclasses = {
        PKG.Paper: SCHEMA.ScholarlyArticle,
        PKG.Author: FOAF.Person,
        PKG.Organization: FOAF.Organization,
        PKG.Benchmark: SCHEMA.Dataset,
        PKG.Category: SKOS.Concept,
        PKG.Listing: PROV.Entity,
        PKG.SourceRecord: PROV.Entity,
    }
    for cls, superclass in expected_superclasses.items():
        assert (cls, RDFS.subClassOf, superclass) in ontology, (cls, superclass)
    expected_superproperties = {
        PKG.proposes: PKG.mentions,
        PKG.usesMethod: PKG.mentions,
        PKG.evaluatesOn: PKG.mentions,
        PKG.addressesTask: PKG.mentions,
        PKG.usesMetric: PKG.mentions,
        PKG.mentions: SCHEMA.mentions,
        PKG.codeRepository: SCHEMA.codeRepository,
        PKG.category: DCTERMS.subject,
        PKG.arxivClass: SKOS.notation,
        PKG.fromListing: PROV.wasDerivedFrom,
    }
    for prop, superproperty in expected_superproperties.items():
        assert (prop, RDFS.subPropertyOf, superproperty) in ontology, (prop, superproperty)
    # prov:wasDerivedFrom of a paper must keep leading to listings only, even under RDFS inference.
    assert (PKG.sourceRecord, RDFS.subPropertyOf, PROV.wasDerivedFrom) not in ontology


def test_reused_terms_are_noted_not_redefined(ontology: Graph):
    for term in REUSED_TERMS:
        note = ontology.value(term, SKOS.scopeNote)
        assert isinstance(note, Literal) and note.startswith("paperkg:"), f"{term} has no usage note"
    for subject, predicate, obj in ontology:
        if isinstance(subject, URIRef) and not subject.startswith(PKG_NS) and subject != ONTOLOGY_IRI:
            assert predicate in (RDF.type, SKOS.scopeNote), f"ontology redefines {subject} with {predicate}"
            if predicate == RDF.type:
                assert obj in TERM_TYPES, (subject, obj)


def test_contract_and_added_terms_exist(ontology: Graph):
    for name in CONTRACT_CLASSES + ADDED_CLASSES:
        assert (PKG[name], RDF.type, OWL.Class) in ontology, name
    for name in CONTRACT_PROPERTIES + ADDED_PROPERTIES:
        assert set(ontology.objects(PKG[name], RDF.type)) & PROPERTY_TYPES, name


def test_pkg_namespace_matches_ontology(ontology: Graph):
    in_python = pkg_namespace_names()
    in_ontology = set(declared_pkg_terms(ontology))
    assert len(in_python) == len(CONTRACT_CLASSES + ADDED_CLASSES + CONTRACT_PROPERTIES + ADDED_PROPERTIES)
    assert in_python - in_ontology == set(), "in PKG but not declared in ontology/paperkg.ttl"
    assert in_ontology - in_python == set(), "declared in ontology/paperkg.ttl but missing from PKG"


def test_pkg_namespace_is_closed():
    assert PKG.Paper == URIRef("https://w3id.org/paperkg/ontology#Paper")
    assert PKG["line"] == URIRef("https://w3id.org/paperkg/ontology#line")
    with pytest.raises(AttributeError, match="Typo"):
        PKG.Typo  # noqa: B018
    with pytest.raises(AttributeError, match="paper"):
        PKG["paper"]  # case matters: the class is Paper


def test_prefixes_and_base():
    assert PREFIXES["pkg"] == "https://w3id.org/paperkg/ontology#"
    assert PREFIXES["schema"] == "https://schema.org/"
    assert {"dcterms", "foaf", "schema", "skos", "prov", "rdfs", "owl", "xsd", "rdf"} <= set(PREFIXES)
    assert DEFAULT_BASE == "https://w3id.org/paperkg/id/"
    graph = bind_prefixes(Graph())
    graph.add((URIRef(DEFAULT_BASE + "paper/x"), RDF.type, PKG.Paper))
    graph.add((URIRef(DEFAULT_BASE + "paper/x"), SCHEMA.name, Literal("x")))
    turtle = graph.serialize(format="turtle")
    assert "@prefix pkg: <https://w3id.org/paperkg/ontology#> ." in turtle
    assert "@prefix schema: <https://schema.org/> ." in turtle
    assert "a pkg:Paper" in turtle


# --- the shapes --------------------------------------------------------------------------------------


def test_shapes_parse_and_every_constraint_has_a_message(shapes: Graph):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    helpers = set(shapes.objects(None, SH.node))  # applied through sh:node, so they need no target
    assert len(node_shapes - helpers) >= 7 and helpers <= node_shapes
    for node_shape in node_shapes - helpers:
        targets = [
            p
            for p in (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf)
            if shapes.value(node_shape, p)
        ]
        assert targets, f"{node_shape} targets nothing"
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) >= 60
    for property_shape in property_shapes:
        message = shapes.value(property_shape, SH.message)
        assert isinstance(message, Literal) and message.strip(), shapes.value(property_shape, SH.path)


def test_shapes_target_every_class_and_use_only_declared_terms(shapes: Graph, ontology: Graph):
    targeted = {c for c in shapes.objects(None, SH.targetClass)}
    assert {PKG[name] for name in CONTRACT_CLASSES + ADDED_CLASSES} <= targeted
    declared = set(declared_pkg_terms(ontology).values())
    used = pkg_iris_in(shapes)
    assert used and used <= declared, sorted(used - declared)


@pytest.mark.parametrize("name", ["paperkg.ttl", "shapes.ttl"])
def test_packaged_copies_are_identical(name: str):
    # An installed wheel reads the packaged copies; refresh them with
    # cp ontology/*.ttl src/paperkg/data/ontology/
    assert (PACKAGED_DIR / name).read_bytes() == (ONTOLOGY_DIR / name).read_bytes()


def test_loaders_read_the_packaged_files():
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in load_ontology()
    assert len(set(load_shapes().subjects(RDF.type, SH.NodeShape))) >= 7


# --- validation --------------------------------------------------------------------------------------

CONFORMING = """
@prefix pkg: <https://w3id.org/paperkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/paperkg/id/> .

<paper/flan> a pkg:Paper ;
    dcterms:title "The Flan Collection" ;
    dcterms:abstract "We study the design decisions of instruction tuning." ;
    dcterms:issued "2023-01-31"^^xsd:date ;
    pkg:dateAsWritten "Jan 31, 2023" ;
    dcterms:creator <author/shayne-longpre> , <org/deepmind> ;
    pkg:authorship <paper/flan/authorship/1> , <paper/flan/authorship/2> ;
    pkg:authorCount 3 ;
    pkg:authorListComplete false ;
    pkg:affiliation <org/deepmind> ;
    pkg:category <category/cs.lg> ;
    pkg:hasCode true ;
    pkg:codeRepository <https://github.com/google-research/FLAN> ;
    schema:url <https://arxiv.org/abs/2301.13688> ;
    dcterms:identifier "2301.13688" ;
    pkg:upvotes 12 ;
    pkg:proposes <benchmark/flan-collection> ;
    pkg:usesMethod <method/t5> ;
    pkg:evaluatesOn <benchmark/mmlu> ;
    pkg:addressesTask <task/instruction-tuning> ;
    pkg:usesMetric <metric/accuracy> ;
    pkg:mentions <benchmark/flan-collection> , <method/t5> , <benchmark/mmlu> ,
        <task/instruction-tuning> , <metric/accuracy> ;
    pkg:reportsResult <result/flan-mmlu> ;
    prov:wasDerivedFrom <listing/daily> ;
    pkg:sourceRecord <paper/flan/record/1> .

<paper/undated-year> a pkg:Paper ;
    dcterms:title "A paper shown without a year" ;
    dcterms:issued "--09-11"^^xsd:gMonthDay ;
    prov:wasDerivedFrom <listing/daily> .

<paper/flan/authorship/1> a pkg:Authorship ;
    pkg:author <author/shayne-longpre> ; pkg:position 1 ; pkg:nameAsWritten "Shayne Longpre" .
<paper/flan/authorship/2> a pkg:Authorship ;
    pkg:author <org/deepmind> ; pkg:position 2 ; pkg:nameAsWritten "deepmind" .

<author/shayne-longpre> a pkg:Author ;
    foaf:name "Shayne Longpre" ; foaf:givenName "Shayne" ; foaf:familyName "Longpre" ;
    skos:altLabel "Longpre, Shayne" .
<org/deepmind> a pkg:Organization ; foaf:name "DeepMind" ; skos:altLabel "deepmind" .

<benchmark/flan-collection> a pkg:Benchmark ; rdfs:label "Flan Collection" .
<benchmark/mmlu> a pkg:Benchmark ; rdfs:label "MMLU" ;
    skos:altLabel "Massive Multitask Language Understanding" .
<method/t5> a pkg:Method ; rdfs:label "T5" .
<method/flan-t5> a pkg:Method ; rdfs:label "Flan-T5" .
<task/instruction-tuning> a pkg:Task ; rdfs:label "instruction tuning" .
<metric/accuracy> a pkg:Metric ; rdfs:label "accuracy" .
<category/cs.lg> a pkg:Category ; rdfs:label "Machine Learning" ;
    pkg:arxivClass "cs.LG" ; skos:notation "cs.LG" .

<result/flan-mmlu> a pkg:Result ;
    pkg:onBenchmark <benchmark/mmlu> ; pkg:metric <metric/accuracy> ; pkg:ofMethod <method/flan-t5> ;
    pkg:value 3.5 ; pkg:unit "%" ; pkg:relative true ; pkg:comparedTo <method/t5> ;
    pkg:evidence "Flan-T5 outperforms T5 by 3.5% on MMLU." .

<listing/daily> a pkg:Listing ;
    pkg:readerFormat "daily-papers" ; pkg:fileName "000_daily.txt" ;
    pkg:sha256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" ;
    pkg:recordCount 2 ; pkg:pageDate "Jan 31, 2023" ; pkg:owner <author/shayne-longpre> .

<paper/flan/record/1> a pkg:SourceRecord ;
    pkg:fromListing <listing/daily> ; pkg:line 2 ; pkg:titleAsWritten "The Flan Collection" .
"""

ID = DEFAULT_BASE
FLAN = URIRef(ID + "paper/flan")
AUTHORSHIP_1 = URIRef(ID + "paper/flan/authorship/1")
LONGPRE = URIRef(ID + "author/shayne-longpre")
RESULT = URIRef(ID + "result/flan-mmlu")
RECORD = URIRef(ID + "paper/flan/record/1")
LISTING = URIRef(ID + "listing/daily")


def conforming_graph() -> Graph:
    return Graph().parse(data=CONFORMING, format="turtle")


def changed_graph(update: str) -> Graph:
    graph = conforming_graph()
    before = set(graph)
    graph.update(f"BASE <{ID}>\n{update}", initNs=PREFIXES)
    assert set(graph) != before, "the update did not change the graph"
    return graph


def test_conforming_graph_conforms():
    graph = conforming_graph()
    size = len(graph)
    report = validate_graph(graph)
    assert isinstance(report, ValidationReport)
    assert report.conforms, report.text
    assert report.results == []
    assert report.text.startswith("Conforms")
    assert len(graph) == size, "validation must not change the data graph"


# (SPARQL update applied to the conforming graph, focus node, path, exact message)
VIOLATIONS = {
    "two titles": (
        'INSERT DATA { <paper/flan> dcterms:title "The Flan Collection, again" }',
        FLAN, DCTERMS.title, "A paper has exactly one dcterms:title.",
    ),
    "no title": (
        "DELETE WHERE { <paper/flan> dcterms:title ?t }",
        FLAN, DCTERMS.title, "A paper has exactly one dcterms:title.",
    ),
    "blank title": (
        'DELETE WHERE { <paper/flan> dcterms:title ?t } ; INSERT DATA { <paper/flan> dcterms:title "  " }',
        FLAN, DCTERMS.title, "dcterms:title must be a non-empty xsd:string.",
    ),
    "date typed xsd:string": (
        (
            "DELETE WHERE { <paper/flan> dcterms:issued ?d } ;"
            ' INSERT DATA { <paper/flan> dcterms:issued "2023-01-31"^^xsd:string }'
        ),
        FLAN, DCTERMS.issued,
        "dcterms:issued must be a valid xsd:date, xsd:gYearMonth, xsd:gYear or xsd:gMonthDay literal.",
    ),
    "impossible date": (
        (
            "DELETE WHERE { <paper/flan> dcterms:issued ?d } ;"
            ' INSERT DATA { <paper/flan> dcterms:issued "2023-02-30"^^xsd:date }'
        ),
        FLAN, DCTERMS.issued,
        "dcterms:issued must be a valid xsd:date, xsd:gYearMonth, xsd:gYear or xsd:gMonthDay literal.",
    ),
    "authorship without position": (
        "DELETE WHERE { <paper/flan/authorship/1> pkg:position ?p }",
        AUTHORSHIP_1, PKG.position, "An authorship has exactly one pkg:position.",
    ),
    "position zero": (
        (
            "DELETE WHERE { <paper/flan/authorship/1> pkg:position ?p } ;"
            " INSERT DATA { <paper/flan/authorship/1> pkg:position 0 }"
        ),
        AUTHORSHIP_1, PKG.position, "pkg:position must be a positive xsd:integer (1-based).",
    ),
    "person with two names": (
        'INSERT DATA { <author/shayne-longpre> foaf:name "S. Longpre" }',
        LONGPRE, FOAF.name, "An author or organization has exactly one foaf:name.",
    ),
    "no listing": (
        "DELETE WHERE { <paper/flan> prov:wasDerivedFrom ?l }",
        FLAN, PROV.wasDerivedFrom,
        "A paper has at least one prov:wasDerivedFrom (the listings it was read from).",
    ),
    "untyped creator": (
        "INSERT DATA { <paper/flan> dcterms:creator <author/nobody> }",
        FLAN, DCTERMS.creator, "dcterms:creator must lead to a pkg:Author or a pkg:Organization.",
    ),
    "authorship held by a method": (
        "DELETE WHERE { <paper/flan/authorship/1> pkg:author ?a } ;"
        " INSERT DATA { <paper/flan/authorship/1> pkg:author <method/t5> }",
        AUTHORSHIP_1, PKG.author, "pkg:author must lead to a pkg:Author or a pkg:Organization.",
    ),
    "proposes a task": (
        "INSERT DATA { <paper/flan> pkg:proposes <task/instruction-tuning> }",
        FLAN, PKG.proposes, "pkg:proposes must lead to a pkg:Method or a pkg:Benchmark.",
    ),
    "mentions an author": (
        "INSERT DATA { <paper/flan> pkg:mentions <author/shayne-longpre> }",
        FLAN, PKG.mentions, "pkg:mentions must lead to a pkg:Benchmark, pkg:Method, pkg:Task or pkg:Metric.",
    ),
    "creator that is a method": (
        "INSERT DATA { <paper/flan> dcterms:creator <method/t5> }",
        FLAN, DCTERMS.creator, "dcterms:creator must lead to a pkg:Author or a pkg:Organization.",
    ),
    "code repository as a literal": (
        'INSERT DATA { <paper/flan> pkg:codeRepository "https://github.com/x/y" }',
        FLAN, PKG.codeRepository, "pkg:codeRepository must be an IRI, not a literal.",
    ),
    "value as a string": (
        (
            "DELETE WHERE { <result/flan-mmlu> pkg:value ?v } ;"
            ' INSERT DATA { <result/flan-mmlu> pkg:value "3.5" }'
        ),
        RESULT, PKG.value, "pkg:value must be an xsd:decimal.",
    ),
    "baseline on an absolute result": (
        "DELETE WHERE { <result/flan-mmlu> pkg:relative ?r }",
        RESULT, PKG.relative, "A result with pkg:comparedTo must have pkg:relative true.",
    ),
    "record without line": (
        "DELETE WHERE { <paper/flan/record/1> pkg:line ?n }",
        RECORD, PKG.line, "A source record has exactly one pkg:line.",
    ),
    "listing without reader": (
        "DELETE WHERE { <listing/daily> pkg:readerFormat ?f }",
        LISTING, PKG.readerFormat, "A listing has exactly one pkg:readerFormat.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", VIOLATIONS)
def test_violation_is_reported(case: str):
    update, focus, path, message = VIOLATIONS[case]
    report = validate_graph(changed_graph(update))
    assert not report.conforms
    assert [(r.focus_node, r.path, r.message, r.severity) for r in report.results] == [
        (focus, path, message, "Violation")
    ], report.text
    assert report.text.startswith("Does not conform: 1 violation.")
    assert message in report.text


def test_untyped_authorship_is_still_checked():
    # Shapes also target objects of pkg:authorship, so forgetting rdf:type does not hide a problem.
    graph = changed_graph("DELETE WHERE { <paper/flan/authorship/1> a pkg:Authorship ; pkg:position ?p }")
    found = {(r.focus_node, r.value, r.message) for r in validate_graph(graph).results}
    assert found == {
        (AUTHORSHIP_1, None, "An authorship has exactly one pkg:position."),
        (FLAN, AUTHORSHIP_1, "pkg:authorship must lead to a pkg:Authorship."),
    }


def test_persistent_store_graph_validates_like_memory_graph():
    oxigraph_backed = Graph(store="Oxigraph")
    for triple in changed_graph('INSERT DATA { <author/shayne-longpre> foaf:name "S. Longpre" }'):
        oxigraph_backed.add(triple)
    report = validate_graph(oxigraph_backed)
    assert not report.conforms
    assert [r.message for r in report.results] == ["An author or organization has exactly one foaf:name."]


def test_custom_shapes_path(tmp_path: Path):
    shapes = tmp_path / "only-titles.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix pkg: <https://w3id.org/paperkg/ontology#> .\n"
        "[] a sh:NodeShape ; sh:targetClass pkg:Paper ;\n"
        '   sh:property [ sh:path pkg:upvotes ; sh:minCount 1 ; sh:message "needs upvotes" ] .\n',
        encoding="utf-8",
    )
    report = validate_graph(conforming_graph(), shapes_path=shapes)
    assert [(r.focus_node, r.message) for r in report.results] == [
        (URIRef(ID + "paper/undated-year"), "needs upvotes")
    ]


def test_missing_or_broken_shapes_file_is_a_paperkg_error(tmp_path: Path):
    with pytest.raises(PaperKGError, match="cannot read shapes file"):
        validate_graph(Graph(), shapes_path=tmp_path / "absent.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(PaperKGError, match="cannot parse"):
        validate_graph(Graph(), shapes_path=broken)


def test_result_text_names_terms_with_prefixes():
    report = validate_graph(
        changed_graph(
            'DELETE WHERE { <paper/flan> pkg:hasCode ?c } ; INSERT DATA { <paper/flan> pkg:hasCode "yes" }'
        )
    )
    (result,) = report.results
    assert result.value == Literal("yes")
    assert str(result) == (f'Violation: <{FLAN}> pkg:hasCode = "yes": pkg:hasCode must be an xsd:boolean.')
    assert not isinstance(result.focus_node, BNode)
