"""The default rule-based extractor: gazetteer + definition patterns + name shapes + context rules.

Rule names (``Mention.rule``) used in ``extractions.jsonl``:

``gazetteer``            a name or alias from ``data/gazetteer/*.tsv``
``gazetteer+ctx``        an ambiguous gazetteer word accepted because of its context
``definition``           "Long Form (LF)" / "LF (Long Form)" defined in the text
``shape:<cue>``          an unseen name recognised by its shape (CamelCase, letters+digits, acronym),
                         typed by ``<cue>``: ``head`` (a following head noun such as "benchmark"),
                         ``suffix`` (name ends like "...Bench"), ``eval-on`` ("evaluate on X"),
                         ``list`` (coordinated with typed names), ``apposition`` ("X, a new benchmark"),
                         ``contribution`` ("we propose X"), ``variant`` ("ESeg-Lite-S" of "ESeg"),
                         ``default`` (model-like shape)
``phrase:head``          a Capitalized Multi-Word Name ending in a head noun ("Structured Pruning Adapters")
``phrase:data-head``     a name, lowercase modifiers and a data head ("the Twitter keyword dataset")
``list:data-head``       names coordinated under one plural data head ("the PKU and MSRA datasets")
``list:plain``           plain capitalized words in an explicit list ("methods such as DeepWalk and Planetoid")
``title-head``           the name before the colon of the title ("DeepFusion: ...")
``repeat``               a later occurrence of a name found by another rule in the same paper
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress
from operator import attrgetter, itemgetter, methodcaller

from . import Extraction, Mention
from .gazetteer import Gazetteer, default_gazetteer, norm_key
from .results import extract_results

# --------------------------------------------------------------------------------------------- lexicons
STOP_NAMES = {
    # broad model classes and fields
    "llm", "lm", "vlm", "mllm", "lmm", "slm", "cnn", "convnet", "rnn", "gnn", "dnn", "mlp", "nn", "ann", "snn",
    "ssm", "rl", "marl", "drl", "irl", "nlp", "nlu", "cv", "ml", "ai", "agi", "dl", "nas", "automl", "hpo",
    "moe", "lrm", "lrms", "genai", "aigc", "ir", "kg", "kb", "qa", "mt", "asr", "tts", "ocr", "ner", "pos",
    "srl", "mdp", "pomdp", "pde", "ode", "sde", "kl", "mle", "iid", "ood", "sota", "gpu", "tpu", "cpu",
    "npu", "fpga", "asic", "api", "sql", "html", "json", "xml", "pdf", "url", "http", "https", "ui", "gui",
    "io", "us", "uk", "eu", "usa", "dna", "rna", "mri", "ct", "ecg", "eeg", "fmri", "lidar", "rgb", "rgbd",
    "2d", "3d", "4d", "1d", "hd", "4k", "8k", "rd", "ctr", "phd", "ieee", "acm", "arxiv", "github",
    "huggingface", "kaggle", "twitter", "reddit", "youtube", "wechat", "iclr", "icml", "neurips", "nips",
    "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl", "aaai", "ijcai", "kdd", "www", "sigir", "flops", "flop",
    "gflops", "tflops", "macs", "mac", "fps", "ms", "gb", "tb", "mb", "kb", "ram", "ssd", "hbm", "vram",
    "gpus", "tpus", "cpus", "llms", "cnns", "rnns", "gnns", "dnns", "mlps", "ssms", "lms", "vlms", "mllms",
    "no", "ok", "id", "ids", "vs", "eg", "ie", "etc", "al", "fig", "tab", "eq", "sec", "app", "i", "ii",
    "iii", "iv", "v", "vi", "x", "xl", "xxl", "tl", "dr", "tldr", "faq", "pm", "am", "ceo", "cto", "md",
    "rlhf-free", "cot-free", "iot", "vr", "ar", "xr", "hci", "cs", "ee", "math", "stem", "tcp", "ip", "os",
    "ieee754", "fp16", "fp32", "bf16", "int8", "int4", "fp8", "cuda", "mpi", "simd", "lstm-based",
    "sgd-based", "covid", "covid19", "sarscov2", "mcq", "mcqs", "kd", "pt", "ft", "sft", "rag-based",
    "e2e", "sim2real", "p2p", "b2b", "gt", "bce", "ce", "l1", "l2", "lp", "ilp", "milp", "qp", "sat", "smt",
    "np", "nphard", "ptime", "fpt", "log", "exp", "max", "min", "argmax", "softmax", "relu",
}
STOP_WORDS_CAP = {
    # organizations, places, languages, tools, people-ish words and frequent capitalized non-names
    "google", "deepmind", "openai", "meta", "microsoft", "facebook", "anthropic", "amazon", "apple",
    "nvidia", "ibm", "baidu", "alibaba", "tencent", "huawei", "bytedance", "samsung", "intel", "amd",
    "stanford", "mit", "cmu", "berkeley", "oxford", "cambridge", "harvard", "princeton", "tsinghua", "pku",
    "english", "chinese", "german", "french", "spanish", "japanese", "korean", "arabic", "russian", "hindi",
    "italian", "portuguese", "dutch", "czech", "romanian", "turkish", "vietnamese", "indonesian",
    "python", "java", "javascript", "typescript", "rust", "golang", "haskell", "lean", "lean4", "coq",
    "isabelle", "matlab", "pytorch", "tensorflow", "jax", "keras", "numpy", "scipy", "sklearn",
    "scikit-learn", "huggingface", "pypi", "linux", "windows", "android", "ios", "docker", "kubernetes",
    "latex", "markdown", "excel", "internet", "web", "bayesian", "markov", "gaussian", "euclidean",
    "nash", "pareto", "turing", "boolean", "monte", "carlo", "fourier", "laplace", "hessian", "jacobian",
    "lipschitz", "newton", "lagrangian", "hilbert", "banach", "riemannian", "hamiltonian", "shapley",
}
LANGUAGES = {
    "english", "chinese", "german", "french", "spanish", "japanese", "korean", "arabic", "russian", "hindi",
    "italian", "portuguese", "dutch", "czech", "romanian", "turkish", "vietnamese", "indonesian", "hebrew",
    "farsi", "persian", "urdu", "bengali", "swahili", "greek", "polish", "swedish", "danish", "finnish",
    "norwegian", "hungarian", "thai", "malay", "tamil", "telugu", "catalan", "basque", "ukrainian", "bulgarian",
    "croatian", "serbian", "slovak", "slovene", "slovenian", "estonian", "latvian", "lithuanian", "icelandic",
    "irish", "welsh", "hausa", "yoruba", "amharic", "mandarin", "cantonese", "tagalog", "filipino", "macedonian",
    "albanian", "armenian", "georgian", "kazakh", "uzbek", "mongolian", "nepali", "marathi", "gujarati",
    "punjabi", "kannada", "malayalam", "sinhala", "burmese", "khmer", "lao", "zulu", "xhosa", "igbo", "somali",
    "latin", "sanskrit", "multilingual", "bilingual", "monolingual", "cross-lingual", "crosslingual",
}
PROGRAMMING = {"python", "java", "javascript", "typescript", "rust", "golang", "haskell", "lean", "lean4", "coq",
               "isabelle", "matlab", "c++", "sql", "html", "latex", "markdown"}
# capitalized words that start a sentence or a phrase without being part of a name
_CAP_NON_NAMES = {"The", "This", "That", "These", "Those", "Our", "Their", "Its", "Each", "Every", "All", "Both",
                  "Table", "Figure", "Fig", "Section", "In", "On", "For", "We", "It", "A", "An", "As", "To", "From",
                  "With", "Using", "Unlike", "While", "When", "Then", "Also", "However", "Moreover", "Finally",
                  "First", "Second", "Third", "New", "Large", "Small", "Public", "Existing", "Standard", "Several",
                  "Two", "Three", "Four", "Five", "Many", "Most", "Other", "Such", "Some", "Any", "No", "One",
                  "Dataset", "Datasets", "Corpus", "Data", "Experiments", "Results", "Evaluation", "Error-tagged",
                  "Plain", "Semantic", "Annotated", "Unlabeled", "Labeled", "Synthetic", "Parallel", "Comparable",
                  "Monolingual", "Bilingual", "Multilingual", "Human", "Manual", "Automatic", "Real", "Simulated"}
_DATA_HEAD_RE = (r"(?:dataset|datasets|data set|data sets|corpus|corpora|treebank|treebanks|test set|test sets|testset|"
                 r"test collection|test collections|benchmark|benchmarks|challenge)")
# lowercase words that do not belong inside a name before a data head ("our new dataset", "a large corpus")
_NON_NAME_MODIFIERS = {
    "new", "large", "small", "public", "publicly", "available", "our", "their", "its", "this", "that", "these",
    "those", "such", "other", "same", "different", "several", "two", "three", "four", "five", "many", "all",
    "both", "each", "synthetic", "additional", "original", "whole", "entire", "full", "standard", "existing",
    "annotated", "labeled", "labelled", "unlabeled", "unlabelled", "training", "test", "testing", "development",
    "dev", "validation", "evaluation", "held-out", "parallel", "monolingual", "bilingual", "multilingual",
    "comparable", "in-domain", "out-of-domain", "following", "above", "previous", "proposed", "first", "second",
    "only", "used", "based", "well-known", "popular", "widely", "commonly", "largest", "larger",
    "smaller", "various", "multiple", "single", "is", "are", "was", "were", "be", "has", "have", "and", "or",
    "with", "without", "as", "than", "which", "where", "when", "more", "most", "less", "few", "some",
}
_BENCH_HEADS = {
    "benchmark", "benchmarks", "dataset", "datasets", "corpus", "corpora", "suite", "testbed", "test-bed",
    "leaderboard", "challenge", "environment", "environments", "treebank", "collection", "games", "game",
    "tasks", "task", "split", "splits", "set", "sets", "testset", "data", "arena", "library", "bank",
    "problems", "questions", "puzzles", "exam", "exams", "competition", "subset", "subsets",
}
_STRONG_BENCH_HEADS = {
    "benchmark", "benchmarks", "dataset", "datasets", "corpus", "corpora", "suite", "testbed", "test-bed",
    "leaderboard", "treebank", "treebanks", "testset", "subset", "subsets", "data",
}
_METHOD_HEADS = {
    "model", "models", "method", "methods", "algorithm", "algorithms", "architecture", "architectures",
    "framework", "frameworks", "approach", "approaches", "optimizer", "optimizers", "optimiser", "network",
    "networks", "net", "nets", "agent", "agents", "system", "systems", "detector", "detectors", "backbone",
    "backbones", "baseline", "baselines", "encoder", "encoders", "decoder", "decoders", "technique",
    "techniques", "module", "modules", "layer", "layers", "policy", "policies", "pipeline", "solver",
    "solvers", "procedure", "strategy", "mechanism", "family", "variant", "variants", "classifier",
    "classifiers", "llm", "llms", "transformer", "transformers", "tokenizer", "retriever", "reranker",
    "adapter", "adapters", "estimator", "sampler", "objective", "operator", "operators", "block", "blocks",
    "kernel", "kernels", "attention", "embedding", "embeddings", "loss", "regularizer", "scheme",
    "planner", "controller", "generator", "discriminator", "autoencoder", "recipe", "paradigm", "protocol",
    "checkpoint", "checkpoints", "evaluator", "verifier", "judge", "engine", "toolkit", "head", "heads",
    "convolution", "convolutions", "ops", "op", "unit", "units", "cell", "cells", "search", "tuning",
    "decoding", "prompting", "learning", "training", "distillation", "sampling", "augmentation",
    "optimization", "regularization", "normalization", "pruning", "quantization", "alignment", "machine",
    "machines",
}
_GENERIC_METHOD_HEADS = {  # heads that make a phrase-name only when the words before are proper names
    "search", "tuning", "decoding", "prompting", "learning", "training", "distillation", "sampling",
    "augmentation", "optimization", "regularization", "normalization", "pruning", "quantization",
    "alignment", "attention", "loss", "objective", "head", "heads", "unit", "units", "cell", "cells",
}
_TASK_HEADS = {
    "recognition", "detection", "segmentation", "classification", "translation", "answering", "parsing",
    "summarization", "summarisation", "tagging", "labeling", "labelling", "extraction", "resolution",
    "tracking", "retrieval", "disambiguation", "captioning", "estimation", "forecasting", "prediction",
    "completion", "synthesis", "inference", "localization", "reasoning", "understanding", "generation",
    "identification", "verification", "linking", "modeling", "modelling", "spotting",
}
_METRIC_HEADS = {
    "score", "scores", "rate", "rates", "error", "accuracy", "precision", "recall", "distance", "metric",
    "metrics", "measure", "coefficient", "ratio", "index", "divergence", "gap", "f1", "auc",
}
_EVAL_CUES = re.compile(
    r"\b(?:evaluat\w*|test(?:s|ed|ing)?|benchmark\w*|experiments?|results?|performance|accuracy|scores?|"
    r"achiev\w*|obtain\w*|outperform\w*|surpass\w*|state[- ]of[- ]the[- ]art|SOTA|SoTA|sota|improv\w*|"
    r"gains?|rates?|trained|train|pre-?trained|fine-?tuned|finetuned|validated?|validation|competitive|"
    r"results|errors?|f1|AP|mAP|BLEU|perplexity|leaderboard|ranks?|top-\d|evaluated|experimented|"
    r"comparable|baselines?|reaching|reaches|sets?|new)\b[^.;:]{0,60}?\bon\s+(?:the\s+|both\s+|all\s+|"
    r"several\s+|multiple\s+|popular\s+|standard\s+|challenging\s+|\w+\s+)?(?:[a-z][a-z\-]+\s+){0,2}$",
    re.I,
)
_LIST_INTRO_BENCH = re.compile(
    r"(?:benchmarks?|datasets?|corpora|test ?sets|testsets|suites|environments|games|tasks)\s*"
    r"(?:,?\s*(?:such as|including|like|e\.g\.,?|i\.e\.,?|namely|:)\s*|\(\s*(?:e\.g\.,?|i\.e\.,?)?\s*)"
    r"(?:the\s+)?$",
    re.I,
)
_LIST_INTRO_METHOD = re.compile(
    r"(?:models?|methods?|baselines?|approaches|algorithms?|architectures?|optimizers?|detectors?|"
    r"LLMs|systems|techniques|networks|families|backbones)\s*"
    r"(?:,?\s*(?:such as|including|like|e\.g\.,?|i\.e\.,?|namely|:)\s*|\(\s*(?:e\.g\.,?|i\.e\.,?)?\s*)"
    r"(?:the\s+)?$",
    re.I,
)
_CONTRIB = re.compile(
    r"\b(?:[Ww]e|[Tt]his (?:paper|work|report|study|article|thesis|dissertation)|[Oo]ur (?:paper|work)|"
    r"[Tt]he (?:paper|report|work))\b"
    r"(?:\s+\w+){0,3}?\s+(?:propose|proposes|proposed|introduce|introduces|introduced|present|presents|"
    r"presented|develop|develops|developed|release|releases|released|design|designs|designed|build|builds|"
    r"construct|constructs|constructed|create|creates|created|contribute|contributes|curate|curates|curated|"
    r"collect|collected|offer|offers|devise|devised|formulate|call|name|term|dub|coin|open-source|"
    r"open-sourced)\b"
)
_CONTRIB_AND = re.compile(
    r"(?:,|\band)\s+(?:then\s+|also\s+|further\s+)?(?:propose|introduce|present|develop|release|design|build|construct|"
    r"create|curate|collect|open-source)\b"
)


def _with_head(pattern: re.Pattern, old_head: str, new_head: str) -> re.Pattern:
    """``pattern`` with its leading ``old_head`` replaced by ``new_head`` (same flags)."""
    if not pattern.pattern.startswith(old_head):
        raise AssertionError(f"unexpected head of {pattern.pattern[:40]!r}")
    return re.compile(new_head + pattern.pattern[len(old_head):], pattern.flags)


# Patterns that start with "\b" or an alternation of words get no quick scan from the re engine: it tries the whole
# pattern at every position. The _FAST variants below start with a character set instead (the engine then skips, in
# C, to the positions holding one of its characters); what the old head required is checked right after:
# * "\b" before a first character that is a letter: the character before it is not a word character, which
#   "(?<!\w.)" checks after consuming that letter ("." matches it: a letter is never a newline); at the start of
#   the string the look-behind has too few characters and succeeds, as "\b" does;
# * which alternative the consumed letter starts: "(?<=[Ww])e" is "[Ww]e".
# The alternatives keep their order and the rest of the pattern is unchanged: same matches, same spans.
_CONTRIB_FAST = _with_head(
    _CONTRIB,
    r"\b(?:[Ww]e|[Tt]his (?:paper|work|report|study|article|thesis|dissertation)|[Oo]ur (?:paper|work)|"
    r"[Tt]he (?:paper|report|work))\b",
    r"[WwTtOo](?<!\w.)(?:(?<=[Ww])e|(?<=[Tt])his (?:paper|work|report|study|article|thesis|dissertation)|"
    r"(?<=[Oo])ur (?:paper|work)|(?<=[Tt])he (?:paper|report|work))\b")
# (here each alternative starts with a literal: the engine scans for "," and "a")
_CONTRIB_AND_FAST = _with_head(_CONTRIB_AND, r"(?:,|\band)", r"(?:,|a(?<!\w.)nd)")
_NAMING = re.compile(r"\b(?:called|named|dubbed|termed|coined|we call|we name|we term|we dub)\s+(?:it\s+|the\s+|as\s+)?$", re.I)
_NO_INTRO_BEFORE = re.compile(
    r"(?:\b(?:on|with|than|over|of|from|using|use|uses|used|like|against|to|into|vs\.?|versus|such as|"
    r"e\.g\.,?|i\.e\.,?|based on|via|by|and|or|as|in|for|beyond|upon|atop|under|including)\s+"
    r"(?:the\s+|a\s+|an\s+|existing\s+|prior\s+|previous\s+|popular\s+|standard\s+|strong\s+|recent\s+)?$)",
    re.I,
)
_OF_OK = re.compile(r"\b(?:dataset|benchmark|suite|family|set|collection|corpus)\s+of\s+$", re.I)
_OUR = re.compile(r"\b(?:[Oo]ur|[Tt]he proposed|[Oo]ur proposed|[Tt]his new|[Oo]ur new)\s+(?:\w+\s+)?$")
_CITATION_AFTER = re.compile(r"^\s*[\(\[]\s*(?:[A-Z][\w\-']+(?:\s+et al\.?)?,?\s*(?:\[?\d{4}|\d{4})|\d+\])")

_URL = re.compile(r"https?://[^\s<>\"')\]]+|(?<![\w/])(?:www\.)?github\.com/[^\s<>\"')\]]+")
# _URL starting with a character set (see _CONTRIB_FAST): an "http" match starts with "h", a "github.com" one with "w"
# of "www." or "g", after a character that is neither a word character nor "/" ("(?<![\w/].)" after consuming the
# letter, as "(?<![\w/])" before it); "(?<=w)ww\.g|(?<=g)" then spells "www.g" or "g", as "(?:www\.)?g" does.
_URL_FAST = re.compile(r"[hwg](?:(?<=h)ttps?://[^\s<>\"')\]]+|(?<![\w/].)(?:(?<=w)ww\.g|(?<=g))ithub\.com/[^\s<>\"')\]]+)")
_LATEX = re.compile(r"\$[^$]{0,200}\$|\\[a-zA-Z]+\{[^}]{0,100}\}|\\[a-zA-Z]+")
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_]|[.\-'’@](?=[A-Za-z0-9])|\+(?=[A-Za-z0-9]))*\+*")
_SENT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[])")
_NON_SENT_ABBR = re.compile(r"(?:\be\.g|\bi\.e|\bet al|\bvs|\bFig|\bcf|\bEq|\bSec|\bapprox|\bresp|\bNo)\.$")

_SIZE = re.compile(r"^~?\d+(?:\.\d+)?[KMBTkmbx×]?$|^\d+(?:\.\d+)?(?:[KMBT]|x|X)?(?:-\d+(?:\.\d+)?[KMBTx])?$")
_DIGIT_WORD = re.compile(r"^\d+(?:\.\d+)?-?(?:[a-z]+|[a-z]+-[a-z]+)$")  # "1-shot", "8-bit", "3-layer"
# numbers with units, sizes and resolutions, not names: "512x512", "2014-30k", "1.5k", "448times448", "sim5.0"
# ("sim"/"times"/"approx" are LaTeX commands whose backslash was lost)
_NUMERIC = re.compile(r"^(?:\d+(?:\.\d+)?[kKMBT]?(?:[-x×/]\d+(?:\.\d+)?[kKMBT]?)+|\d+(?:\.\d+)?(?:times|x|×)\d+(?:\.\d+)?"
                      r"|(?:sim|approx|times|le|leq|ge|geq|pm|mu|sigma|alpha|beta|gamma|lambda|tau|ell)\d[\d.]*[a-zA-Z]{0,2})$")
# evaluation campaigns (workshop series) are venues; their data sets are named with a head ("SemEval-2010 Task 8")
_CAMPAIGN = re.compile(r"^(?:SemEval|SEMEVAL|Semeval|Senseval|SENSEVAL|SensEval|TempEval|Tempeval)(?:[-' ]?\d+)?$")
_YEARISH = re.compile(r"^(?:19|20)\d\d[a-z]?$|^\d+(?:st|nd|rd|th|s)$")
_ADJ_COMPOUND = re.compile(r"^(.+?)-(?:based|like|style|inspired|derived|generated|powered|initialized|pretrained|"
                           r"pre-trained|finetuned|fine-tuned|trained|specific|family|guided|driven|aligned|distilled)$")
_CAMEL = re.compile(r"[a-z][A-Z]")
_ALLCAPS = re.compile(r"^[A-Z0-9][A-Z0-9\-.]*$")
_HAS_DIGIT = re.compile(r"\d")
_HAS_ALPHA = re.compile(r"[A-Za-z]")
_SUFFIX_BENCH = re.compile(r"(?:Bench|bench|BENCH|Eval|EVAL|QA|Arena|Gym|World|Set|Corpus|Bank|GLUE|Hard|Suite|Test|Exam|Leaderboard|Instruct-Eval)(?:[-\s]?\w{0,6})?$")
_SUFFIX_BENCH_STRICT = re.compile(r"(?:Bench|bench|BENCH|Eval|EVAL|QA|Arena|Gym|Corpus|GLUE|Suite|Exam|Bank|[a-z]bank)(?:-?[A-Z0-9][\w.]{0,5})?$")
_MODEL_SIZE_SUFFIX = re.compile(r"^(?P<base>.+?)[\s-](?:\d+(?:\.\d+)?[BM]|XXL|XL|Large|Base|Small|Tiny|Huge)$")
_VARIANT_TAILS = {"mini", "turbo", "large", "base", "small", "tiny", "instruct", "chat", "pro", "nano", "lite",
                  "flash", "preview", "distill", "coder", "math", "vision", "reranker", "embed", "xl", "xxl"}
_NOT_DATA_HEADS = {"workshop", "workshops", "exercises", "campaign", "campaigns", "community", "evaluation",
                   "script", "participants", "organizers", "track", "tracks", "system", "systems", "examples",
                   "challenges", "model", "models", "toolkit", "lexicon", "senses", "tags", "relations"}
_RESOURCE_PARTS = {"senses", "tags", "relations", "lexicon"}
_FUNC_AFTER = {"of", "and", "or", "on", "to", "the", "in", "for", "with", "is", "are", "was", "were", "which", "that",
               "as", "by", "from", "at", "a", "an", "into", "over", "than", "has", "have", "uses", "use", "using",
               "achieves", "outperforms", "trained", "pretrained", "fine-tuned", "when", "while", "where"}
_FUNC = {"of", "for", "by", "and", "the", "in", "on", "with", "to", "a", "an", "via", "from", "as", "at", "&"}
_CAP_WORD = re.compile(r"^[A-Z][\w\-'’]*$")


# Mention is a frozen dataclass with slots and no __post_init__: its generated __init__ only stores each argument in its
# slot with object.__setattr__. _new_mention stores them through the slots' own descriptors (what that call ends up
# using) on a new bare instance: the same object (equal, same repr and pickle), built in half the time. The field
# names and their order are checked here, so a change of Mention fails at import instead of building wrong objects.
if tuple(f.name for f in dataclasses.fields(Mention)) != ("type", "text", "start", "end", "field", "canonical",
                                                        "aliases", "introduced", "rule") \
        or Mention.__slots__ != tuple(f.name for f in dataclasses.fields(Mention)) \
        or hasattr(Mention, "__post_init__"):
    raise ImportError("paperkg.extract.rules: _new_mention does not match Mention's fields")
_M_SET = tuple(Mention.__dict__[name].__set__ for name in Mention.__slots__)


def _new_mention(type_: str, text: str, start: int, end: int, field: str, canonical: str, aliases: tuple[str, ...],
                 introduced: bool, rule: str) -> Mention:
    """``Mention(type_, text, start, end, field, canonical, aliases, introduced, rule)`` (see above)."""
    m = object.__new__(Mention)
    s_type, s_text, s_start, s_end, s_field, s_canonical, s_aliases, s_introduced, s_rule = _M_SET
    s_type(m, type_)
    s_text(m, text)
    s_start(m, start)
    s_end(m, end)
    s_field(m, field)
    s_canonical(m, canonical)
    s_aliases(m, aliases)
    s_introduced(m, introduced)
    s_rule(m, rule)
    return m


@dataclass(slots=True)
class _Cand:
    field: str
    start: int
    end: int
    text: str
    type: str | None
    canonical: str
    aliases: tuple[str, ...]
    rule: str
    strength: int  # 3 gazetteer/definition, 2 shape with context, 1 weak
    introduced: bool = False
    # the type _finalize gives a chosen name from its context (None: dropped), kept on the name itself: cheaper than
    # a dict keyed by id() in each of _finalize's passes
    ctx_type: str | None = None


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def _mask(text: str) -> tuple[str, list[str]]:
    # every _URL match contains "http" or "github.com", every _LATEX match "$" or a backslash: skip the scans
    # (the slow part: neither pattern starts with a literal) when the text cannot match
    if "http" in text or "github.com" in text:
        # one pass: sub() calls blank() on the matches finditer() gives, in the same order
        urls = []

        def blank(m: re.Match) -> str:
            u = m.group(0)
            urls.append(u.rstrip(".,;:"))
            return " " * len(u)

        masked = _URL_FAST.sub(blank, text)
    else:
        urls = []
        masked = text
    if "$" in masked or "\\" in masked:
        masked = _LATEX.sub(_blank, masked)
    return masked, urls


# _SENT with the punctuation consumed instead of looked behind (a literal-set prefix lets the scan skip ahead):
# the same matches, each one character earlier; the cut is the start of group 1
_SENT_FAST = re.compile(r"[.!?]([\"')\]]?\s+)(?=[A-Z0-9\"'(\[])")


# what the text before the "." of a _NON_SENT_ABBR match ends with
_ABBR_ENDS = ("e.g", "i.e", "et al", "vs", "Fig", "cf", "Eq", "Sec", "approx", "resp", "No")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENT_FAST.finditer(text):
        cut = m.start(1)
        # _NON_SENT_ABBR ends in "\.$": only a cut after "." can be an abbreviation, and only when the text before
        # that "." ends with one of the abbreviations
        if text[cut - 1] == "." and text.endswith(_ABBR_ENDS, 0, cut - 1) \
                and _NON_SENT_ABBR.search(text[max(0, cut - 8):cut]):
            continue
        spans.append((start, cut))
        start = m.end()
    # Every span ending at a cut holds the punctuation before that cut, and every span starting after a cut starts
    # with the character _SENT_FAST's look-ahead saw there (not whitespace): none of them is empty or all
    # whitespace. Only a last span starting at 0 (the whole text) can be, so only it needs the test that every
    # span used to get.
    if start < len(text) and (start > 0 or not text.isspace()):
        spans.append((start, len(text)))
    return spans


_R_is_stop_1 = re.compile(r"^(?:TPU|GPU|CPU|A100|H100|V100|P100|T4|RTX)\w*$")


@lru_cache(maxsize=100_000)
def _is_stop(surface: str) -> bool:
    k = norm_key(surface)
    if not k or k in STOP_NAMES or surface.lower() in STOP_WORDS_CAP:
        return True
    base = surface[:-1] if surface.endswith("s") else surface
    if norm_key(base) in STOP_NAMES:
        return True
    # "TPUv4", "GPUs", "A100" style hardware, sizes and counts
    if _R_is_stop_1.match(surface):
        return True
    if _SIZE.match(surface) or _DIGIT_WORD.match(surface) or _YEARISH.match(surface) or _NUMERIC.match(surface):
        return True
    if not _HAS_ALPHA.search(surface):
        return True
    if _CAMPAIGN.match(surface):
        return True
    return False


_R_shape_1 = re.compile(r"[a-z]{3,}")
_R_shape_2 = re.compile(r"[a-z]+\d+[a-z]*")
_R_shape_3 = re.compile(r"[A-Za-z]\d")
_R_shape_4 = re.compile(r"^[a-z]+\d+$")
_R_shape_5 = re.compile(r"^\d+(?:\.\d+)?[a-z]{1,3}$")
_R_shape_6 = re.compile(r"[A-Z]{2}")


@lru_cache(maxsize=100_000)
def _shape(tok: str) -> str | None:
    """Name shape of a single token: 'camel', 'alnum', 'caps', 'hyphcaps' or None."""
    if len(tok) < 2 or _is_stop(tok):
        return None
    core = tok.rstrip("+")
    last = core.rsplit("-", 1)[-1]
    if "-" in core and (_R_shape_1.fullmatch(last) or last.lower() in ("like", "based", "style", "specific")) \
            and last.lower() not in _VARIANT_TAILS:
        return None  # adjective compounds: "CNOT-based", "CS-specific", "o1-Like", "7B-parameter"
    if _R_shape_2.fullmatch(core) or _R_shape_3.fullmatch(core):
        return None  # "sim5", "v2", "x4", "V2"
    if _CAMEL.search(core):
        return "camel"
    if _HAS_DIGIT.search(core) and _HAS_ALPHA.search(core):
        # letters and digits together ("UL2R", "MATH500", "EF21", "P3", "3D-MAN") but not "v2", "x4"
        if _R_shape_4.match(core) and len(core) <= 3:
            return None
        if _R_shape_5.match(core):  # "10k", "5x", "2nd"
            return None
        return "alnum"
    if _ALLCAPS.match(core) and sum(c.isupper() for c in core) >= 2:
        return "caps"
    if core[0].isupper() and sum(c.isupper() for c in core) >= 2 and _R_shape_6.search(core):
        return "mixed"  # "AIGCBench", "MMBench"
    parts = core.split("-")
    if len(parts) > 1 and any(sum(c.isupper() for c in p) >= 2 for p in parts):
        return "hyphcaps"
    return None


_EVENT_AFTER = re.compile(r"(?:\s+(?:[a-z][\w\-]*|[A-Z][a-z]+-(?:to-)?[A-Z][a-z]+)){0,3}\s+"
                          r"(?:task|evaluations?|campaigns?|workshops?)\b(?!\s*\d)")
_DATA_OF_BEFORE = re.compile(r"\b(?:data|dataset|datasets|data sets?|corpus|corpora|test sets?|sets?|collections?)\s+"
                             r"(?:of|from|for|in|provided by)\s+(?:the\s+)?$", re.I)
_SPLIT_WORDS = r"(?:development|dev|test|testing|training|train|evaluation|validation|held-out|tuning|blind test|devtest)"
_AS_SPLIT_AFTER = re.compile(r"(?:\s*(?:,|,?\s*and)\s*[A-Z][\w\-.']*){0,4}\s+as\s+(?:the\s+|our\s+|a\s+|an\s+)?"
                             + _SPLIT_WORDS + r"\s+(?:sets?|data|datasets?|corpus|corpora)\b")
_SPLIT_IS_BEFORE = re.compile(_SPLIT_WORDS + r"\s+(?:sets?|data|datasets?|corpus)\s+(?:is|are|was|were|consists? of|"
                              r"includes?|comprises?)\s+(?:the\s+)?(?:[A-Z][\w\-.']*\s*(?:,|,?\s*and)\s*){0,4}$", re.I)
_ON_OPENING = re.compile(r"(?:^|[.!?]\s+)On\s+(?:the\s+)?$")
_NUM_ON = re.compile(r"\d(?:\s*%|\s+points?|\s+pp)?\s+on\s+(?:the\s+)?$")
_DATA_APPOSITION_BEFORE = re.compile(r"\b(?:dataset|benchmark|corpus|suite|testbed|collection|resource)\b[^.;:()]{0,40},\s*"
                                     r"(?:called\s+|named\s+|dubbed\s+)?$", re.I)
_LIST_INTRO_ANY = re.compile(
    r"\b(benchmarks|datasets|corpora|test ?sets|suites|environments|games|models|methods|baselines|approaches|"
    r"algorithms|architectures|optimizers|detectors|systems|techniques|networks|backbones)\s*,?\s*"
    r"(?:such as|including|like|e\.g\.,?|namely)\s+(?:the\s+)?")


_R_plain_cap_1 = re.compile(r"[A-Z][a-z]{2,}")


def _plain_cap(w: str) -> bool:
    """A plain capitalized word that can be a name in a list ("Planetoid", "Reuters")."""
    return bool(_R_plain_cap_1.fullmatch(w)) and w not in _CAP_NON_NAMES and not _is_stop(w) \
        and w.lower() not in LANGUAGES and w.lower() not in STOP_WORDS_CAP


_STANDS_FOR = re.compile(r"\b([A-Z][\w\-]{1,15}),?\s+(?:which\s+|that\s+)?(?:stands|stand|is short)\s+for\s+"
                         r"((?:[A-Z][\w\-]*|of|for|from|and|the|with|in|on|to|by|a)(?:\s+(?:[A-Z][\w\-]*|of|for|from|and|the|with|"
                         r"in|on|to|by|a)){1,9})")
_ANY_DATA_HEAD = re.compile(r"\b(?i:corpus|corpora|datasets?|treebanks?|benchmarks?|data sets?|test ?sets?|challenge|"
                            r"test collections?|evaluation sets?|development sets?|dev sets?|test data|tuning sets?|"
                            r"evaluation data|collections)\b")
_DATA_PHRASE_AFTER = re.compile(r"((?:\s+(?:[a-z][a-z\-]+|(?:19|20)\d\d|[A-Z]{2,}\d*)){1,3}?)\s+(?:" + _DATA_HEAD_RE +
                                r"|(?:evaluation|development|dev|test|tuning) (?:sets?|data))\b")
_COORD_DATA = re.compile(r"\b((?:[A-Z][\w\-.+]*\s*,\s*){0,4}[A-Z][\w\-.+]*,?\s+(?:and|&)\s+[A-Z][\w\-.+]*)"
                         r"((?:\s+[a-z][a-z\-]+){0,2})\s+(?i:datasets|corpora|benchmarks|treebanks|data sets|test sets|"
                         r"collections)\b")


_R_data_name_word_1 = re.compile(r"[A-Z][a-z]+-[A-Z][a-z]+")


@lru_cache(maxsize=50_000)
def _data_name_word(tok: str, first: bool) -> bool:
    """A token that can name a data source before a data head: a capitalized word or a name shape, not a language,
    programming language, determiner or common sentence opener. Organizations and platforms are allowed here
    ("Twitter keyword dataset", "PKU and MSRA datasets"): the head makes them data names."""
    if not tok[:1].isupper() or tok in _CAP_NON_NAMES or tok.lower() in _FUNC:
        return False
    low = tok.lower()
    if low in LANGUAGES or low in PROGRAMMING or _R_data_name_word_1.fullmatch(tok) and \
            all(p.lower() in LANGUAGES for p in tok.split("-")):
        return False  # "Chinese", "Arabic-English"
    if first and not _shape(tok):
        return False  # sentence-initial capital: not evidence of a name
    if _SIZE.match(tok) or _NUMERIC.match(tok) or _YEARISH.match(tok) or _CAMPAIGN.match(tok):
        return False
    k = norm_key(tok)
    if k in STOP_NAMES and low not in _DATA_SOURCES:
        return False
    return True


_DATA_SOURCES = {"twitter", "reddit", "youtube", "wechat", "github", "kaggle", "arxiv", "huggingface"}


_CAP_DATA_HEADS = {"Treebank", "TreeBank", "Treebanks", "Corpus", "Corpora", "Gigaword", "Dataset",
                   "Dictionary", "Lexicon", "Thesaurus", "Encyclopedia", "Ontology"}


_R_dehyphen_1 = re.compile(r"[A-Z][a-z]+-[a-z]+")


def _dehyphen(tok: str) -> str:
    """"Chi-nese" -> "chinese" (a word split by a line-break hyphen)."""
    return tok.replace("-", "").lower() if _R_dehyphen_1.fullmatch(tok) else ""


_R_shared_task_data_1 = re.compile(r"\s+(?:shared\s+tasks?|tasks?|evaluations?)\s+(?:[A-Za-z]+\s+){0,2}"
                                   r"(?:data|datasets?|data sets?|corpus|corpora|test sets?)\b", re.I)


def _shared_task_data(text: str, c, before: str) -> bool:
    """"data of the CoNLL-2012 shared task", "the CoNLL'03 shared task data": the data of a shared task."""
    if _DATA_OF_BEFORE.search(before):
        return True
    return bool(_R_shared_task_data_1.match(text[c.end:c.end + 60]))


_R_words = re.compile(r"[A-Za-z][\w\-']*")


def _title_like(sentence: str) -> bool:
    """A title or heading written in Title Case (most content words capitalized)."""
    content = [w for w in _R_words.findall(sentence) if len(w) > 3 and w.lower() not in _FUNC]
    if len(content) < 3:
        return False
    return sum(w[0].isupper() for w in content) >= 0.8 * len(content)


_R_bench_suffix_1 = re.compile(r"QA$")


def _bench_suffix(name: str) -> bool:
    """Name shaped like a benchmark ("MMBench", "TriviaQA", "AlpacaEval"); all-caps "...QA" ("CQA", "VQA")
    are task acronyms."""
    if not _SUFFIX_BENCH_STRICT.search(name):
        return False
    if _R_bench_suffix_1.search(name) and name.isupper():
        return False
    return True


@lru_cache(maxsize=100_000)
def _suffix_benchmark(surface: str) -> bool:
    """A shape name typed a benchmark by its ending alone ("MMBench", "WMT2014"); pure, cached (a name recurs)."""
    return bool(_bench_suffix(surface) or _R_type_of_5.search(surface))


_R_singular_1 = re.compile(r"^(.*[A-Z0-9])s$")


@lru_cache(maxsize=100_000)
def _singular(surface: str) -> str:
    m = _R_singular_1.match(surface)
    if m and " " not in surface and len(m.group(1)) >= 2:
        return m.group(1)
    return surface


_R_next_words_1 = re.compile(r"[A-Za-z][\w\-]*")


# The first 1, 2 or 3 words of _R_next_words_1 in one match: a search for that pattern skips the characters that cannot
# start a word ([^A-Za-z]), then takes the longest word; the next search starts where it ends. Each optional group is
# one more such step (the skips and the words are possessive: nothing after them could ever make them give back).
_NW_STEP = r"[^A-Za-z]*+([A-Za-z][\w\-]*+)"
# (one word: a plain search is as fast)
_NEXT_WORDS_RE = {2: re.compile(_NW_STEP + "(?:" + _NW_STEP + ")?"),
                  3: re.compile(_NW_STEP + "(?:" + _NW_STEP + "(?:" + _NW_STEP + ")?)?")}


def _next_words(text: str, end: int, n: int = 2) -> list[str]:
    """The first ``n`` words (lowercased) of ``text[end:end + 40]``: ``_R_next_words_1.findall`` of that slice,
    two or three words in one match of _NEXT_WORDS_RE, otherwise searched one word at a time (``endpos`` cuts the
    text exactly as the slice does)."""
    pat = _NEXT_WORDS_RE.get(n)
    if pat is not None:
        m = pat.match(text, end, end + 40)
        out = []
        if m is not None:
            for w in m.groups():
                if w is None:
                    break
                out.append(w.lower())
        return out
    out = []
    stop = end + 40
    search = _R_next_words_1.search
    while len(out) < n:
        m = search(text, end, stop)
        if m is None:
            break
        out.append(m.group().lower())
        end = m.end()
    return out


_R_field_candidates_1 = re.compile(r"[ \-/&'’]*")
_R_field_candidates_2 = re.compile(r"-(?:based|like|style|specific|type|family|inspired|derived|generated|"
                                   r"powered|initialized|sized|scale|level)\b")
_R_field_candidates_3 = re.compile(r"/(\d+)\b")
_R_field_candidates_4 = re.compile(r"\d+$")
_R_field_candidates_5 = re.compile(r"-[a-z]{3,}$")
_R_field_candidates_6 = re.compile(r"\s+(corpus|corpora|dataset|datasets|treebank|benchmark|data set|[Tt]est set|test sets|data sets|"
                                   r"challenge)\b")
_R_field_candidates_7 = re.compile(r"[^\s,]+")
_R_field_candidates_8 = re.compile(r"(?i)bench|data|corp|test|suite|environ|game|task")
_R_field_candidates_9 = re.compile(r"[^.;:()\[\]]{1,200}")
_R_field_candidates_10 = re.compile(r"(,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
_R_field_candidates_11 = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_R_definitions_1 = re.compile(r"\(([^()]{1,60})\)")
_R_definitions_2 = re.compile(r"[A-Za-z0-9][\w\-.+]{0,15}")
_R_definitions_3 = re.compile(r"[a-z\-]+")
_R_definitions_4 = re.compile(r"(?:19|20)\d\d[a-z]?")
_R_definitions_5 = re.compile(r"([A-Za-z][\w\-]{1,15})$")
_R_matches_1 = re.compile(r"[a-z0-9]+")
_R_long_form_1 = re.compile(r"[^\s()]+")
_R_long_form_2 = re.compile(r"[.;:!?]$")
_R_def_cand_1 = re.compile(r"\b(?:Conference|Conferences|Workshop|Symposium|Association|Society|Institute|University|"
                           r"Laboratory|Foundation|Agency|Committee|Council|Department|Center|Centre)\b")
_R_def_cand_2 = re.compile(r"^\)?\s*(?:is|was|are|,)\s+(?:a|an|the)\s+((?:[\w\-]+\s+){0,5}[\w\-]+)")
_R_def_cand_3 = re.compile(r"\b(?:Corpus|Treebank|TreeBank|Dataset|Benchmark) of\b")
_R_def_cand_4 = re.compile(r"(?:er|ers|or|ors|net|nets|former|formers)$")
_R_cap_phrases_1 = re.compile(r"^\s*\(\s*([A-Za-z]+)\s*\)")
_R_cap_phrases_2 = re.compile(r"^\s*\(\s*([A-Za-z]+)")
_R_type_of_1 = re.compile(r"\s*,")
_R_type_of_2 = re.compile(r"\b([a-z]+)\s*\($")
_R_type_of_3 = re.compile(r"^\s*:\s*(?:[A-Z][\w\-]*\s+){0,4}(?:benchmark|dataset|suite|corpus)\b")
_R_type_of_4 = re.compile(r"^\s+[a-z]")
_R_type_of_5 = re.compile(r"[A-Za-z][\-\s]?(?:19|20)\d\d$")
_R_type_of_6 = re.compile(r"\s+(?:is|was)\s+(?:a|an)\s+((?:[\w\-]+\s+){0,5}[\w\-]+)")
_R_type_of_7 = re.compile(r"\s*,\s*(?:a|an|the)\s+((?:[\w\-]+,?\s+){0,6}[\w\-]+)")
_R_type_of_8 = re.compile(r"[\w\-]+")
_R_mark_introduced_1 = re.compile(r"^\s*([^:]{1,40}?)\s*:\s")
_R_mark_introduced_2 = re.compile(r"\S+")
_R_mark_introduced_3 = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Tt]his (?:paper|work|report|study|thesis|dissertation))\b")
_R_mark_introduced_3_FAST = _with_head(  # see _CONTRIB_FAST
    _R_mark_introduced_3, r"\b(?:[Ww]e|[Oo]ur|[Tt]his (?:paper|work|report|study|thesis|dissertation))\b",
    r"[WwOoTt](?<!\w.)(?:(?<=[Ww])e|(?<=[Oo])ur|(?<=[Tt])his (?:paper|work|report|study|thesis|dissertation))\b")
_R_mark_introduced_4 = re.compile(r"(?:on|with|using|than|over|to|from)\s+(?:our|the proposed)\s+(?:\w+\s+)?$", re.I)
_R_mark_introduced_5 = re.compile(r"^\)?\s*(?:is|are)\s+(?:\w+\s+)?(?:proposed|introduced|presented)\b")
_R_mark_introduced_6 = re.compile(r"\bnew\s+[\w\-]+\s+(?:such as|like|including|called|named)\s+$")
_R_mark_introduced_7 = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|/)\s*")
_R_mark_introduced_8 = re.compile(r"\s*,\s*(?:a|an)\s+(?:new|novel|first|large-scale|challenging|comprehensive|simple|unified)\b")
_R_mark_introduced_9 = re.compile(r"\b(?:that|which|where|whether|how|if|baselines?|use|using|uses|"
                                  r"fine-tune|finetune|train|apply|applying|adopt|employ|leverage|"
                                  r"evaluate|compare|comparing|against|than|versus|vs)\b", re.I)


_TOK_CACHE_MAX = 200_000  # distinct tokens kept by an extractor's token cache (cleared when full)
# _TOKEN written with single-character repeats (much faster in the re engine): at each step the old pattern takes a
# word character, or one of .-'’@+ before a letter or digit (disjoint choices), so both take the same greedy path
# (possessive: nothing after any of its repeats can fail, so the greedy pattern never gives back what a repeat took;
# the possessive one does not keep the state for giving it back: same tokens, a faster scan)
_TOKEN_FAST = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*+(?:[.\-'’@+][A-Za-z0-9][A-Za-z0-9_]*+)*+\+*+")
_TOKEN_SPLIT = re.compile("(" + _TOKEN_FAST.pattern + ")").split  # see _field_candidates
_GAP_CHARS = " -/&'’"  # what _R_field_candidates_1 allows between the words of a gazetteer n-gram
_FIRST = itemgetter(0)
_ENDS_POSSESSIVE = methodcaller("endswith", ("'s", "’s"))
_SHAPE = itemgetter(1)
_ALL_CAPS = itemgetter(4)
_CAP_NON_FUNC = itemgetter(6)
_HEAD_OFFSETS = itemgetter(8)
_START = attrgetter("start")  # sort keys of candidates (_finalize)
_START_END = attrgetter("start", "end")
_INTRODUCED = attrgetter("introduced")

# _ANY_DATA_HEAD rewritten so that the pattern starts with a character set (the scan skips ahead in C): the
# same alternatives in the same order, grouped by their first letter (b, c, d, e, t have no special case
# folding), the leading \b checked by a look-behind after the first character. Same matches, same spans.


def _has_list_cue(text: str) -> bool:
    """Every _LIST_INTRO_ANY match contains one of these (the pattern is case-sensitive)."""
    return "such as" in text or "including" in text or "like" in text or "e.g." in text or "namely" in text


_ANY_DATA_HEAD_FAST = re.compile(
    r"[bcdetBCDET](?<!\w.)(?i:(?<=c)(?:orpus|orpora|hallenge|ollections)|(?<=d)(?:atasets?|ata sets?|evelopment sets?|"
    r"ev sets?)|(?<=t)(?:reebanks?|est ?sets?|est collections?|est data|uning sets?)|(?<=b)enchmarks?|"
    r"(?<=e)(?:valuation sets?|valuation data))\b")


# the first letters of every _ANY_DATA_HEAD alternative (lowercase)
_DATA_HEAD_PREFIXES = ("corp", "challenge", "collections", "data", "dev", "treebank", "test", "tuning", "benchmark",
                       "evaluation")


def _head_offsets(tok: str) -> tuple[int, ...]:
    """Offsets in a token (ASCII letters, digits, "_" and the connectors .-'’@+: lower() keeps its length) at its
    start or right after a connector where its lowercased text starts with one of _DATA_HEAD_PREFIXES."""
    low = tok.lower()
    if low.isalnum():  # no connector: only the start
        return (0,) if low.startswith(_DATA_HEAD_PREFIXES) else ()
    return tuple(k for k in range(len(low))
                 if (k == 0 or low[k - 1] in ".-'’@+") and low.startswith(_DATA_HEAD_PREFIXES, k))


# an ASCII capital after a non-word character (see _CONTRIB_FAST for the look-behind)
_CAP_WORD_START = re.compile(r"[A-Z](?<!\w.)")


def _coord_data_matches(text: str) -> list[re.Match]:
    """``list(_COORD_DATA.finditer(text))``: every match starts with "\b" and an ASCII capital, so the pattern is
    only tried at the capitals that start a word (in order, each at or after the end of the previous match, as
    finditer does; match() at a position sees the text before it, as finditer does) instead of everywhere."""
    out = []
    end = 0
    match = _COORD_DATA.match
    for cap in _CAP_WORD_START.finditer(text):
        p = cap.start()
        if p >= end:
            m = match(text, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


# every _COORD_DATA match holds whitespace, "and" or "&", whitespace and an ASCII capital ("...,? and [A-Z]...")
_COORD_CUE = re.compile(r"\s(?:and|&)\s+[A-Z]")


def _rstrip_endswith_colon(text: str, pos: int) -> bool:
    """``text[:pos].rstrip().endswith(":")`` without copying the text (rstrip strips what str.isspace() says)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos > 0 and text[pos - 1] == ":"

_WORD_OR_HYPHEN = re.compile(r"[\w\-]")  # what the look-arounds of a repeat exclude next to a name

# ------------------------------------------------------------------------------ cheap pre-checks of context patterns
# Most context patterns are searched in the text just before a name and anchored at its end ("$"). Each function
# below first tests a condition that every match implies (which words can end the text, which word must be among
# its last ones) with plain string operations, and runs the pattern only when that condition holds: the same
# answer, without the pattern's scan of every position. Only the letters i, k and s match non-ASCII characters
# under re.I (ı, İ, K, ſ): a case-insensitive test of text that is not ASCII runs the pattern.

_ON_FORMS = ("on", "On", "oN", "ON")


def _eval_cues(before: str) -> bool:
    """``_EVAL_CUES.search(before)``: every match ends with "on" + whitespace + at most three words, each followed
    by whitespace and made of word characters and hyphens only; so the text ends with whitespace, one of its last
    four words ends with "on", and the words after it have no other characters."""
    if not before[-1:].isspace():
        return False
    for w in reversed(before.rsplit(None, 4)[-4:]):
        if w[-2:] in _ON_FORMS:
            return _EVAL_CUES.search(before) is not None
        if not w.replace("-", "").replace("_", "").isalnum():
            return False  # (\w is what str.isalnum() accepts, and "_")
    return False


def _num_on(before: str) -> bool:
    """``_NUM_ON.search(before)``: the last words are "on" or "on the", after whitespace."""
    if not before[-1:].isspace():
        return False
    ws = before.rsplit(None, 2)
    if (ws and ws[-1] == "on") or (len(ws) >= 2 and ws[-1] == "the" and ws[-2] == "on"):
        return _NUM_ON.search(before) is not None
    return False


_LIST_CUE_ENDS = ("such as", "including", "like", "e.g.", "e.g.,", "i.e.", "i.e.,", "namely", ":", "(")


def _list_cue_end(before: str) -> bool:
    """Condition implied by a match of _LIST_INTRO_BENCH or _LIST_INTRO_METHOD: the text without its trailing
    whitespace ends with a list cue ("such as", "including", "like", "e.g.", "e.g.,", "i.e.", "i.e.,", "namely",
    ":", "("), or with "the" followed by whitespace and preceded by a list cue."""
    r = before.rstrip()
    t = r[-12:]
    if not t.isascii():
        return True
    t = t.lower()
    if t.endswith(_LIST_CUE_ENDS):
        return True
    if t.endswith("the") and len(r) < len(before):
        t = r[:-3].rstrip()[-12:]
        return not t.isascii() or t.lower().endswith(_LIST_CUE_ENDS)
    return False


def _list_intro_bench(before: str) -> bool:
    return _list_cue_end(before) and _LIST_INTRO_BENCH.search(before) is not None


def _list_intro_method(before: str) -> bool:
    return _list_cue_end(before) and _LIST_INTRO_METHOD.search(before) is not None


_SPLIT_IS_ENDS = (",", "and", "is", "are", "was", "were", "of", "include", "includes", "comprise", "comprises", "the")


def _split_is_before(before: str) -> bool:
    """``_SPLIT_IS_BEFORE.search(before)``: the text (without trailing whitespace) ends with the verb, "the", or
    the "," / "and" of a list of names, and contains "set", "data" or "corpus"."""
    t = before.rstrip()[-10:]
    if t.isascii() and not t.lower().endswith(_SPLIT_IS_ENDS):
        return False
    if before.isascii():
        low = before.lower()
        if "set" not in low and "data" not in low and "corpus" not in low:
            return False
    return _SPLIT_IS_BEFORE.search(before) is not None


_APPOSITION_HEADS = ("dataset", "benchmark", "corpus", "suite", "testbed", "collection", "resource")


def _data_apposition_before(before: str) -> bool:
    """``_DATA_APPOSITION_BEFORE.search(before)``: the text (without trailing whitespace) ends with "," or with
    "called" / "named" / "dubbed" (letters without special case folding), and contains a data head word."""
    r = before.rstrip()
    if r.endswith(",") or r[-7:].lower().endswith(("called", "named", "dubbed")):
        if before.isascii():
            low = before.lower()
            if not any(h in low for h in _APPOSITION_HEADS):
                return False
        return _DATA_APPOSITION_BEFORE.search(before) is not None
    return False


_NAMING_ENDS = ("called", "named", "dubbed", "termed", "coined", "call", "name", "term", "dub")


def _naming(before: str) -> bool:
    """``_NAMING.search(before)``: the text ends with whitespace, and its last or next-to-last word (before "it",
    "the" or "as") ends with the naming verb."""
    if not before[-1:].isspace():
        return False
    for w in before.rsplit(None, 2)[-2:]:
        if not w.isascii() or w.lower().endswith(_NAMING_ENDS):
            return _NAMING.search(before) is not None
    return False


_OUR_ENDS = ("our", "Our", "proposed", "new")


def _our(before: str) -> bool:
    """``_OUR.search(before)`` (case-sensitive): the text ends with whitespace, and its last or next-to-last word
    ends with "our", "Our", "proposed" or "new" (so the text holds one of these: tested first, without splitting)."""
    if not before[-1:].isspace():
        return False
    if "our" not in before and "Our" not in before and "proposed" not in before and "new" not in before:
        return False
    for w in before.rsplit(None, 2)[-2:]:
        if w.endswith(_OUR_ENDS):
            return _OUR.search(before) is not None
    return False


# the text ends that _split_is_before, _list_cue_end and _data_apposition_before look for (lowercase)
_BEFORE_ENDS = tuple(dict.fromkeys(_SPLIT_IS_ENDS + _LIST_CUE_ENDS + ("the", ",", "called", "named", "dubbed")))
_NAMING_OUR_ENDS = _NAMING_ENDS + ("our", "proposed", "new")


def _before_may_type(before: str) -> bool:
    """False only when none of _split_is_before, _list_cue_end, _eval_cues, _num_on, _data_apposition_before,
    _naming and _our can be true for ``before``: their own first tests, joined (each helper returns False when its
    test fails). The text without trailing whitespace ends with none of their ends (in its last 12 characters,
    lowercased, when ASCII), and, when the text ends with whitespace, none of its last four words ends with "on"
    (_eval_cues, _num_on) and none of its last two ends with a naming verb, "our", "proposed" or "new" (lowercased:
    a wider test than _our's) or is not ASCII (_naming)."""
    r = before.rstrip()
    tail = r[-12:]
    if not tail.isascii() or tail.lower().endswith(_BEFORE_ENDS):
        return True
    if len(r) < len(before):  # ends with whitespace
        ws = before.rsplit(None, 4)[-4:]
        for w in ws:
            if w[-2:].lower() == "on":
                return True
        for w in ws[-2:]:
            if not w.isascii() or w.lower().endswith(_NAMING_OUR_ENDS):
                return True
    return False


_MI6_LAST = {"as", "like", "including", "called", "named"}


def _new_such_as(before: str) -> bool:
    """``_R_mark_introduced_6.search(before)`` (case-sensitive): the last word is the cue, after whitespace."""
    if not before[-1:].isspace():
        return False
    ws = before.rsplit(None, 1)
    if ws and ws[-1] in _MI6_LAST:
        return _R_mark_introduced_6.search(before) is not None
    return False


def _contrib_search(window: str) -> bool:
    """``_CONTRIB.search(window)`` (case-sensitive): every match contains "we"/"We", "his " ("this"/"This"),
    "ur paper"/"ur work" or "he paper"/"he report"/"he work"."""
    if "we" in window or "We" in window or "his " in window or "ur paper" in window or "ur work" in window \
            or "he paper" in window or "he report" in window or "he work" in window:
        return _CONTRIB_FAST.search(window) is not None
    return False


_CONTRIB_VERBS = ("propose", "introduce", "present", "develop", "release", "design", "build", "construct", "create",
                  "contribute", "curate", "collect", "offer", "devise", "formulate", "call", "name", "term", "dub",
                  "coin", "open-source")


def _may_contrib(sent: str) -> bool:
    """Every _CONTRIB match (case-sensitive) contains its subject ("we"/"We", "his " of "this"/"This", "ur paper" /
    "ur work", "he paper" / "he report" / "he work") and one of its verbs (each verb form starts with one of
    _CONTRIB_VERBS)."""
    if "we" in sent or "We" in sent or "his " in sent or "ur paper" in sent or "ur work" in sent \
            or "he paper" in sent or "he report" in sent or "he work" in sent:
        for v in _CONTRIB_VERBS:
            if v in sent:
                return True
    return False


_CONTRIB_AND_VERBS = ("propose", "introduce", "present", "develop", "release", "design", "build", "construct",
                      "create", "curate", "collect", "open-source")


def _may_contrib_and(sent: str) -> bool:
    """Every _CONTRIB_AND match (case-sensitive) contains one of its verbs."""
    for v in _CONTRIB_AND_VERBS:
        if v in sent:
            return True
    return False


class RuleExtractor:
    """Gazetteer + rules. Thread-safe after construction: the only state kept between calls is caches of pure
    per-token / per-surface functions (same values whoever fills them first)."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or default_gazetteer()
        # cache of _tok_info(), a pure function of a token (and of the gazetteer, fixed at construction); only
        # ever extended with the same values, so sharing it between threads is harmless
        self._tok_cache: dict[str, tuple] = {}

    def _tok_info(self, t: str) -> tuple:
        """Per-token facts used by the candidate rules, computed once per distinct token: (most words of a
        gazetteer form starting with the token, or 1 for a hyphenated token; shape; "shape:<shape>"; singular;
        all-caps of 3+ characters; capitalized word; capitalized non-function word; first character uppercase;
        offsets in the token where a data head word can start, see _head_offsets)."""
        if t.isascii() and ((t.isalpha() and t.islower()) or t.isdigit()):
            # a lowercase word or a number (most tokens): its key is itself, it has no shape (_shape returns None
            # for ASCII lowercase letters, and _SIZE makes every number a stop word), it is not capitalized
            info = (self.gaz.first.get(t, 0), None, None, None, False, False, False, False,
                    (0,) if t.startswith(_DATA_HEAD_PREFIXES) else ())
        else:
            shp = _shape(t)
            cw = _CAP_WORD.match(t) is not None
            info = (self.gaz.first_len(t) or (1 if "-" in t else 0), shp, "shape:" + shp if shp else None,
                    _singular(t) if shp else None, shp == "caps" and len(t) >= 3, cw, cw and t.lower() not in _FUNC,
                    t[:1].isupper(), _head_offsets(t))
        cache = self._tok_cache
        if len(cache) >= _TOK_CACHE_MAX:
            cache.clear()
        cache[t] = info
        return info

    # ------------------------------------------------------------------------------------------ public
    def extract(self, title: str, abstract: str | None) -> Extraction:
        title = title or ""
        abstract = abstract or ""
        fields = [("title", title), ("abstract", abstract)]
        all_cands: list[_Cand] = []
        code_urls: list[str] = []
        masked_fields = {}
        abs_sents: list[tuple[int, int]] = []
        for fname, text in fields:
            masked, urls = _mask(text)
            masked_fields[fname] = masked
            for u in urls:
                if "github.com" in u or "gitlab.com" in u or "huggingface.co" in u or "bitbucket.org" in u:
                    u = u if u.startswith("http") else "https://" + u
                    if u not in code_urls:
                        code_urls.append(u)
            if fname == "abstract":
                # the abstract's sentences, computed once and shared by every stage that needs them
                abs_sents = _sentences(masked)
                all_cands.extend(self._field_candidates(fname, masked, abs_sents))
            else:
                all_cands.extend(self._field_candidates(fname, masked))
        mentions = self._finalize(all_cands, masked_fields, title, abs_sents)
        results = extract_results(masked_fields["abstract"], abstract, mentions, abs_sents)
        return Extraction(mentions=mentions, results=results, code_urls=code_urls)

    # ------------------------------------------------------------------------------------ candidates
    def _field_candidates(self, fname: str, text: str, sents: list[tuple[int, int]] | None = None) -> list[_Cand]:
        # tokens as parallel lists (start, end, text), with a possessive "'s" cut off
        # (split() on the capturing pattern gives [gap, token, gap, token, ..., gap]: the tokens finditer() finds, and
        # from the running sum of the parts' lengths their starts and ends, all in C, without a match object each)
        parts = _TOKEN_SPLIT(text)
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        ttext = parts[1::2]
        if "'s" in text or "’s" in text:
            # (the tokens ending in "'s" / "’s", filtered in C)
            for i in compress(range(len(ttext)), map(_ENDS_POSSESSIVE, ttext)):
                t = ttext[i]
                if len(t) > 2:
                    ttext[i] = t[:-2]
                    ends[i] -= 2
        n_tok = len(ttext)
        if fname == "abstract":
            if sents is None:
                sents = _sentences(text)
        else:
            sents = [(0, len(text))]
        # first token of each sentence (capitalized because of position, not because it is a name): the token
        # of index 0 when a sentence ends after it, and the first token at or after each sentence's start when
        # it starts before that sentence's end (sentences are ordered and do not overlap)
        first_tok = set()
        if n_tok and sents:
            if starts[0] < sents[-1][1]:
                first_tok.add(0)
            for ss, se in sents:
                i = bisect.bisect_left(starts, ss)
                if i < n_tok and starts[i] < se:
                    first_tok.add(i)
        infos = list(map(self._tok_cache.get, ttext))
        if None in infos:
            tok_info = self._tok_info
            infos = [inf or tok_info(t) for inf, t in zip(infos, ttext)]
        cands: list[_Cand] = []
        covered = [False] * n_tok
        append = cands.append

        # 1. definitions "Long Form (LF)" and "LF (Long Form)"
        cands.extend(self._definitions(fname, text))

        # 2. gazetteer n-grams, longest first. infos[i][0] is the most words of a gazetteer form starting with the
        #    token (1 for a hyphenated token: it can be a form of its own, "GPT-4", "CIFAR-10"); a token without
        #    any (0) neither starts a match nor is an adjective compound (no hyphen): it is skipped.
        gaz = self.gaz
        lookup = gaz.lookup_tuple  # (the entries are only read here: no copy)
        tlen = len(text)
        resume = 0
        for i in compress(range(n_tok), map(_FIRST, infos)):  # (the k with infos[k][0], filtered in C)
            if i < resume:
                continue
            best = None
            tok_i = ttext[i]
            maxn = min(infos[i][0], n_tok - i)
            # n-grams whose gaps are all 1-3 characters of " -/&'’" (the longest such run from i)
            okn = 1
            while okn < maxn:
                k = i + okn - 1
                gap = text[ends[k]:starts[k + 1]]
                if not gap or len(gap) > 3 or gap.strip(_GAP_CHARS):
                    break
                okn += 1
            if okn == 1:
                # one word (the usual case): its surface text[starts[i]:ends[i]] is the token itself
                entries = lookup(tok_i)
                if entries:
                    best = (i, tok_i, entries)
            else:
                si = starts[i]
                for j in range(i + okn - 1, i - 1, -1):
                    surface = text[si:ends[j]]
                    entries = lookup(surface)
                    if entries:
                        best = (j, surface, entries)
                        break
            if best:
                j, surface, entries = best
                s, e = starts[i], ends[j]
                # a gazetteer name glued to more name material ("ResNet-FPN") is a different name
                if e < tlen and text[e] == "-" and e + 1 < tlen and text[e + 1].isalnum() \
                        and not _R_field_candidates_2.match(text[e:e + 14]):
                    resume = i + 1
                    continue
                # "CIFAR-10/100": the shorthand names a second gazetteer entity
                if e < tlen and text[e] == "/":
                    sm = _R_field_candidates_3.match(text[e:e + 6])
                    if sm and _R_field_candidates_4.search(surface):
                        alt = _R_field_candidates_4.sub(sm.group(1), surface)
                        for en in lookup(alt):
                            append(_Cand(fname, e + 1, e + 1 + len(sm.group(1)), sm.group(1), en.type,
                                         en.canonical, en.aliases, "gazetteer", 3))
                for en in entries:
                    append(_Cand(fname, s, e, surface, en.type, en.canonical, en.aliases,
                                 "gazetteer+ctx" if en.ctx else "gazetteer", 3 if not en.ctx else 0))
                for k in range(i, j + 1):
                    covered[k] = True
                resume = j + 1
            else:
                # "CLIP-based", "BERT-style", "ImageNet-pretrained": the gazetteer name inside an adjective compound
                am = _ADJ_COMPOUND.match(tok_i) if "-" in tok_i else None
                if am:
                    for en in lookup(am.group(1)):
                        s = starts[i]
                        append(_Cand(fname, s, s + len(am.group(1)), am.group(1), en.type, en.canonical,
                                     en.aliases, "gazetteer+ctx" if en.ctx else "gazetteer", 3 if not en.ctx else 0))
                    covered[i] = True
                resume = i + 1

        # 3. unseen single-token names by shape (the tokens with a shape, infos[idx][1], filtered in C)
        for idx in compress(range(n_tok), map(_SHAPE, infos)):
            if covered[idx]:
                continue
            inf = infos[idx]
            append(_Cand(fname, starts[idx], ends[idx], ttext[idx], None, inf[3], (), inf[2], 1))

        # 3b. runs of all-caps words form one name ("NATURAL PLAN") (abstract only). A run starts at an all-caps token
        #     (infos[k][4]) not inside the previous run and takes the following ones joined by one space; the other
        #     tokens never start or extend one, so only the all-caps tokens are gone through (filtered in C)
        if fname == "abstract":
            nxt_k = 0
            for k in compress(range(n_tok), map(_ALL_CAPS, infos)):
                if k < nxt_k:
                    continue
                j = k
                while j + 1 < n_tok and infos[j + 1][4] and starts[j + 1] == ends[j] + 1 and text[ends[j]] == " ":
                    j += 1
                if j > k:
                    sfc = text[starts[k]:ends[j]]
                    append(_Cand(fname, starts[k], ends[j], sfc, None, sfc, (), "shape:caps", 2))
                nxt_k = j + 1

        # data heads ("corpus", "dataset", ...) in the text: 3c and 3d only look at capitalized tokens just before one
        # (a token ending at most 70 characters before a head: ends are increasing, so a range of tokens per head)
        if fname != "abstract":
            heads = []
        elif text.isascii():
            # In ASCII text a match of _ANY_DATA_HEAD_FAST starts at a letter after a non-word character: at a token's
            # start, or inside a token right after one of its connectors (the only non-word characters a token holds),
            # where the token's lowercased text starts with one of _DATA_HEAD_PREFIXES (infos[i][8], those offsets).
            # The pattern is tried there only, in order, each at or after the end of the previous match (match() at a
            # position sees the text before it, as finditer does): finditer's matches. (Elsewhere the case-insensitive
            # words can hold letters such as "ſ" or "K" that are no token characters: the full scan.)
            heads = []
            end = 0
            match = _ANY_DATA_HEAD_FAST.match
            for i in compress(range(n_tok), map(_HEAD_OFFSETS, infos)):
                for off in infos[i][8]:
                    p = starts[i] + off
                    if p >= end:
                        m = match(text, p)
                        if m is not None:
                            heads.append(p)
                            end = m.end()
        else:
            heads = [m.start() for m in _ANY_DATA_HEAD_FAST.finditer(text)]
        if heads:
            near = set()
            for h in heads:
                near.update(range(bisect.bisect_left(ends, h - 70), bisect.bisect_left(ends, h)))
            near_head = [i for i in sorted(near) if infos[i][7]]
        else:
            near_head = []

        # 3c. Capitalized name followed by a lowercase data head: "Kyoto corpus", "WMT09 data"
        if fname == "abstract":
            for idx in near_head:
                s0, e0, tk = starts[idx], ends[idx], ttext[idx]
                if (idx in first_tok and not infos[idx][1]) or not tk[:1].isupper() or _is_stop(tk) \
                        or tk.lower() in STOP_WORDS_CAP or tk.lower() in LANGUAGES or _dehyphen(tk) in LANGUAGES:
                    continue
                if tk.lower() in _FUNC or tk in _CAP_NON_NAMES or _R_field_candidates_5.search(tk):
                    continue  # "WordNet-tagged corpora": an adjective compound
                hm = _R_field_candidates_6.match(text[e0:e0 + 16])
                if hm:
                    cands.append(_Cand(fname, s0, e0, tk, "Benchmark", tk, (), "shape:head", 2))

        # 3d. a name followed by lowercase modifiers and a data head: "the Twitter keyword dataset", "the Wikipedia
        #     dispute corpus", "the Lang-8 learner corpus"; and coordinated names sharing one plural head: "the PKU
        #     and MSRA benchmark datasets", "the Picasso and People-Art datasets"
        if fname == "abstract":
            for idx in near_head:
                s0, e0, tk = starts[idx], ends[idx], ttext[idx]
                if not _data_name_word(tk, idx in first_tok):
                    continue
                hm = _DATA_PHRASE_AFTER.match(text, e0)
                if hm and all(w.lower() not in _NON_NAME_MODIFIERS and w.lower() not in _FUNC and w.lower() not in _FUNC_AFTER
                              for w in hm.group(1).split()):
                    # a name-shaped first word is the resource's name too ("the NELL knowledge graph dataset" = NELL)
                    al = (tk,) if infos[idx][1] and not _is_stop(tk) else ()
                    cands.append(_Cand(fname, s0, hm.end(), text[s0:hm.end()], "Benchmark", text[s0:hm.end()], al,
                                       "phrase:data-head", 2))
            for cm in (_coord_data_matches(text) if heads and _COORD_CUE.search(text) else ()):
                items = [m for m in _R_field_candidates_7.finditer(cm.group(1)) if m.group(0) not in ("and", "&")]
                if len(items) < 2 or not all(_data_name_word(m.group(0), False) for m in items):
                    continue
                if any(w.lower() in _NON_NAME_MODIFIERS or w.lower() in _FUNC for w in cm.group(2).split()):
                    continue
                for m in items[:-1]:
                    a = cm.start(1) + m.start()
                    cands.append(_Cand(fname, a, a + len(m.group(0)), m.group(0), "Benchmark", m.group(0), (),
                                       "list:data-head", 2))

        # 3e. plain capitalized words inside an explicit list: "methods such as label propagation, DeepWalk and
        #     Planetoid", "datasets such as Wikipedia and Reuters"
        if fname == "abstract":
            for lm in (_LIST_INTRO_ANY.finditer(text) if _has_list_cue(text) else ()):
                typ = "Benchmark" if _R_field_candidates_8.match(lm.group(1)) else "Method"
                tail = _R_field_candidates_9.match(text, lm.end())
                if not tail:
                    continue
                pos = lm.end()
                for item in _R_field_candidates_10.split(tail.group(0)):
                    if _R_field_candidates_11.fullmatch(item):
                        pos += len(item)
                        continue
                    words = item.split()
                    w0 = words[0] if words else ""
                    lead = len(item) - len(item.lstrip())
                    if len(words) > 4:
                        if w0 and _plain_cap(w0):  # last item runs into the sentence: "Planetoid by a margin"
                            cands.append(_Cand(fname, pos + lead, pos + lead + len(w0), w0, typ, w0, (), "list:plain", 1))
                        break
                    if len(words) == 1 and _plain_cap(w0):
                        cands.append(_Cand(fname, pos + lead, pos + lead + len(w0), w0, typ, w0, (), "list:plain", 1))
                    pos += len(item)

        # 4. Capitalized multi-word names ending in a head noun (abstract only; titles are Title Case)
        if fname == "abstract":
            cands.extend(self._cap_phrases(text, starts, ends, ttext, infos, first_tok, sents))
        return cands

    def _definitions(self, fname: str, text: str) -> list[_Cand]:
        out: list[_Cand] = []
        for m in _R_definitions_1.finditer(text):
            inner = m.group(1).strip()
            istart = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
            # pattern A: "Long Form (LF)" — inner is one short token
            if _R_definitions_2.fullmatch(inner) and sum(c.isupper() for c in inner) >= 1 \
                    and _HAS_ALPHA.search(inner) and not _R_definitions_3.fullmatch(inner) \
                    and not _R_definitions_4.fullmatch(inner):
                long = self._long_form(text, m.start(), inner)
                if long:
                    ls, le = long
                    out.extend(self._def_cand(fname, text, ls, le, istart, istart + len(inner)))
                continue
            # pattern B: "LF (Long Form)" — preceding token is short, inner is several words
            if " " not in inner or len(inner.split()) > 8:
                continue
            # _R_definitions_5 (at most 16 characters, anchored at the end) searched in the last 16 characters of
            # text[:m.start()].rstrip(): the same match, without copying the text before the parenthesis
            b_end = m.start()
            while b_end > 0 and text[b_end - 1].isspace():
                b_end -= 1
            b_off = max(0, b_end - 16)
            bt = _R_definitions_5.search(text[b_off:b_end])
            if bt:
                short = bt.group(1)
                if sum(c.isupper() for c in short) >= 2 and self._matches(short, inner):
                    out.extend(self._def_cand(fname, text, istart, istart + len(inner), b_off + bt.start(1),
                                              b_off + bt.end(1)))

        # pattern C: "BERT, which stands for Bidirectional Encoder Representations from Transformers"
        for m in (_STANDS_FOR.finditer(text) if "stand" in text or "is short" in text else ()):
            short, long = m.group(1), m.group(2)
            words = long.split()
            while words and words[-1].lower() in _FUNC:
                words.pop()
            long = " ".join(words)
            if len(words) >= 2 and self._matches(short, long):
                ls = m.start(2)
                out.extend(self._def_cand(fname, text, ls, ls + len(long), m.start(1), m.end(1)))
        return out

    @staticmethod
    def _matches(short: str, long: str) -> bool:
        """Schwartz–Hearst check: the short form's letters appear in order in the long form, the first
        letter starting a word."""
        lf = long.lower()
        s = [c for c in short.lower() if c.isalpha() or (c.isdigit() and c in lf)]
        if len(s) < 2:
            return False
        words = _R_matches_1.findall(lf)
        if not words or words[0][0] != s[0]:
            return False
        si = len(s) - 1
        li = len(lf) - 1
        while si >= 0:
            c = s[si]
            while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
                li -= 1
            if li < 0:
                return False
            si -= 1
            li -= 1
        return True

    def _long_form(self, text: str, paren_start: int, short: str) -> tuple[int, int] | None:
        base = _singular(short) if short.endswith("s") and short[:-1].isupper() else short
        letters = [c for c in base if c.isalpha()]
        if not letters:
            return None
        before = text[:paren_start].rstrip()
        end = len(before)
        words = list(_R_long_form_1.finditer(before[max(0, end - 200):]))
        off = max(0, end - 200)
        maxw = min(len(letters) + 5, len(letters) * 2 + 1)
        best = None
        first = letters[0].lower()
        for n in range(1, min(maxw, len(words)) + 1):
            w = words[-n]
            word = w.group(0)
            if _R_long_form_2.search(word) and n > 1:
                break
            if word[0].lower() == first or (word[0] in "\"'“" and len(word) > 1 and word[1].lower() == first):
                cand = before[off + w.start():end].strip("\"'“” ,")
                if self._matches(base, cand):
                    best = (off + w.start(), end)
                    # shortest long form whose first word starts with the first letter
                    break
        if not best:
            return None
        s, e = best
        while s < e and text[s] in "\"'“":
            s += 1
        while e > s and text[e - 1] in "\"'”,":
            e -= 1
        return (s, e)

    def _def_cand(self, fname: str, text: str, ls: int, le: int, ss: int, se: int) -> list[_Cand]:
        long = text[ls:le]
        short = text[ss:se]
        if _is_stop(short):
            return []
        long_words = _R_words.findall(long)
        if not long_words:
            return []
        if _R_def_cand_1.search(long):
            # organizations and venues are not benchmarks or methods: block both forms ("Workshop on Statistical
            # Machine Translation (WMT)" is the venue, not the WMT data)
            return [_Cand(fname, ls, le, long, "?venue", short, (long,), "definition", 4),
                    _Cand(fname, ss, se, short, "?venue", short, (long,), "definition", 4)]
        head = long_words[-1].lower()
        nxt = _next_words(text, max(le, se) + 1, 1)
        lower_long = not any(w[0].isupper() for w in long_words if w.lower() not in _FUNC)
        plural_class = short.endswith("s") and short[:-1].isupper() and lower_long
        if plural_class:
            return []  # "large language models (LLMs)": a class, not a name
        typ = None
        # gazetteer knowledge of either side wins
        for form in (short, long):
            ents = [e for e in self.gaz.lookup(form) if True]
            if not ents:
                ents = self.gaz.by_key.get(norm_key(form), [])
            if ents:
                e = ents[0]
                al = tuple(dict.fromkeys((*e.aliases, long, short)))
                return [_Cand(fname, ls, le, long, e.type, e.canonical, al, "definition+gazetteer", 3),
                        _Cand(fname, ss, se, short, e.type, e.canonical, al, "definition+gazetteer", 3)]
        if _generic_class(long_words, text, ls, short):
            # "graph neural networks (GNNs)", "reinforcement learning (RL)": a category, not a name; block both forms
            return [_Cand(fname, ls, le, long, "?generic", short, (long,), "definition", 4),
                    _Cand(fname, ss, se, short, "?generic", short, (long,), "definition", 4)]
        cop = _R_def_cand_2.match(text[max(le, se) + 1:max(le, se) + 120])
        if cop:
            for w in cop.group(1).lower().split():
                if w in _STRONG_BENCH_HEADS or (w in _METHOD_HEADS and w not in _GENERIC_METHOD_HEADS):
                    nxt = [w]
                    break
        if head in _TASK_HEADS or (nxt and (nxt[0] in {"task", "tasks"} or nxt[0] in _TASK_HEADS)):
            typ = "Task"
        elif head in _STRONG_BENCH_HEADS or (nxt and nxt[0] in _STRONG_BENCH_HEADS) or _bench_suffix(short) \
                or _R_def_cand_3.search(long):
            typ = "Benchmark"
        elif head in _METRIC_HEADS or (nxt and nxt[0] in {"metric", "score", "measure"}):
            typ = "Metric"
        elif head in _METHOD_HEADS or (nxt and nxt[0] in _METHOD_HEADS) or _R_def_cand_4.search(head):
            typ = "Method"
        else:
            typ = None  # decided later from context (or dropped)
        if lower_long and typ is None and not (_CAMEL.search(short) or _HAS_DIGIT.search(short)):
            typ = "?lower"  # lowercase description: only kept if introduced or in a list of methods
        short_c = _singular(short) if short.endswith("s") and short[:-1].isupper() else short
        st = 3
        return [_Cand(fname, ls, le, long, typ, short_c, (long,), "definition", st),
                _Cand(fname, ss, se, short, typ, short_c, (long,), "definition", st)]

    def _cap_phrases(self, text: str, starts: list[int], ends: list[int], ttext: list[str], infos: list[tuple],
                     first_tok: set[int], sents: list[tuple[int, int]]) -> list[_Cand]:
        out = []
        n = len(ttext)
        title_like_cache: list[list[tuple[int, int]]] = []

        def title_like() -> list[tuple[int, int]]:
            if not title_like_cache:
                title_like_cache.append([(a, b) for a, b in sents if _title_like(text[a:b])])
            return title_like_cache[0]
        nxt_i = 0
        # a phrase starts at a capitalized word that is not a function word (infos[i][6]); the scan resumes
        # after the phrase's last word
        for i in compress(range(n), map(_CAP_NON_FUNC, infos)):  # (the k with infos[k][6], filtered in C)
            if i < nxt_i:
                continue
            j = i
            while j + 1 < n:
                e = ends[j]
                if starts[j + 1] != e + 1 or text[e] not in " -":
                    break  # the gap is not exactly " " or "-"
                if infos[j + 1][5] or (ttext[j + 1] in ("of", "for", "by") and j + 2 < n and infos[j + 2][5]):
                    j += 1
                else:
                    break
            nxt_i = j + 1
            if j == i:
                continue
            start_idx = i
            if i in first_tok:
                if j <= i + 1:
                    continue
                start_idx = i + 1
            if j - start_idx < 1 or ttext[start_idx].lower() in _FUNC:
                continue  # fewer than two words, or a function word first: never a phrase name (see below)
            words = ttext[i:j + 1]
            head = words[-1].lower()
            ws = ttext[start_idx:j + 1]
            nxt = _next_words(text, ends[j], 1)
            if nxt and nxt[0] in _STRONG_BENCH_HEADS and head not in _STRONG_BENCH_HEADS:
                head = "dataset"
            if _rstrip_endswith_colon(text, starts[start_idx]):
                head = ""
            # "French Treebank", "Google Universal Treebanks", "CMU Pronouncing Dictionary"
            lang_ok = words[-1] in _CAP_DATA_HEADS
            if lang_ok and head not in _STRONG_BENCH_HEADS:
                head = "dataset"
            if head == "" or head in _GENERIC_METHOD_HEADS or not (head in _METHOD_HEADS or head in _STRONG_BENCH_HEADS):
                continue  # the checks below only ever clear the head
            if any((_is_stop(w) or w.lower() in STOP_WORDS_CAP) and not (lang_ok and w.lower() in STOP_WORDS_CAP)
                   for w in ws) or \
                    _R_cap_phrases_1.match(text[ends[j]:ends[j] + 20]) and \
                    _is_stop(_R_cap_phrases_2.match(text[ends[j]:ends[j] + 20]).group(1)):
                continue
            if (ws[0] in _CAP_NON_NAMES or words[-1] in ("Data", "Corpora", "Datasets")) and \
                    any(a <= starts[start_idx] < b for a, b in title_like()):
                continue  # Title Case heading: "Unlabeled Parallel Corpora" is a description
            if ws[0].lower() not in STOP_WORDS_CAP or lang_ok:
                ps, pe = starts[start_idx], ends[j]
                typ = "Benchmark" if head in _STRONG_BENCH_HEADS else "Method"
                surface = text[ps:pe]
                out.append(_Cand("abstract", ps, pe, surface, typ, surface, (), "phrase:head", 2))
        return out

    # ------------------------------------------------------------------------------------- finalize
    def _finalize(self, cands: list[_Cand], texts: dict[str, str], title: str,
                  abs_sents: list[tuple[int, int]] | None = None) -> list[Mention]:
        # resolve overlaps: stronger, then longer, then earlier. (A first sort by (field, start, -length, -strength)
        # used to precede this stable sort; its key is part of this one's, so ties here were already ties there
        # and kept the candidates' order: it changed nothing.)
        chosen_in: dict[str, list[_Cand]] = {"title": [], "abstract": []}
        occupied: dict[str, list[tuple[int, int]]] = {"title": [], "abstract": []}
        for c in sorted(cands, key=lambda c: (-c.strength, -(c.end - c.start), c.field != "title", c.start)):
            spans = occupied[c.field]
            cs, ce = c.start, c.end
            for a, b in spans:
                if not (ce <= a or cs >= b):
                    break  # overlaps a name already chosen
            else:
                spans.append((cs, ce))
                chosen_in[c.field].append(c)
        # in text order: the title's names by start, then the abstract's. (Stable sorts per field with a C key give
        # the order the one stable sort by (field != "title", start) gave: cheaper than a lambda per name.)
        chosen = sorted(chosen_in["title"], key=_START) + sorted(chosen_in["abstract"], key=_START)

        # context typing and filtering; the two sides of a definition share one decision
        decided: dict[tuple[str, str], str | None] = {}
        # the names a candidate can be coordinated with (_in_list_with): chosen names with a known type and strength
        # >= 3. _type_of changes only c.rule (never c.type or c.strength), so the lists, built once here in the order
        # of chosen, are the ones a scan of chosen would give at every call (indexed per field, see _near_index)
        strong = {typ: _near_index([o for o in chosen if o.type == typ and o.strength >= 3])
                  for typ in ("Benchmark", "Method")}
        type_of = self._type_of
        for c in chosen:
            if c.rule == "gazetteer" and c.type != "Benchmark":
                c.ctx_type = c.type  # (_type_of's first answer, for about half the names: without the call)
                continue
            c.ctx_type = type_of(c, texts[c.field], strong)
            if c.rule == "definition":
                k = (c.field, c.canonical)
                if decided.get(k) is None:
                    decided[k] = c.ctx_type
        # coordination, second pass: a name left untyped (ambiguous gazetteer word, bare acronym) or typed only by the
        # model-shape default, coordinated with a benchmark typed by its context, is a benchmark too
        # ("on the citation networks Citeseer, Cora and Pubmed"; "the PhC-U373 and DIC-HeLa sets")
        changed = True
        while changed:
            changed = False
            anchors = [o for o in chosen if o.ctx_type == "Benchmark" and o.rule != "shape:default"]
            for c in chosen:
                t = c.ctx_type
                weak = (t is None and ((c.rule == "gazetteer+ctx" and c.type == "Benchmark") or c.rule.startswith("shape:"))) \
                    or (t == "Method" and c.rule == "shape:default")
                if weak and _coordinated(c, anchors, texts[c.field]):
                    c.ctx_type = "Benchmark"
                    if c.rule.startswith("shape"):
                        c.rule = "shape:list"
                    changed = True
        # an ambiguous gazetteer name accepted once in the paper is accepted everywhere in it ("... the citation
        # networks Citeseer, Cora and Pubmed ... On Cora it reaches ...")
        accepted = {(c.type, c.canonical) for c in chosen if c.rule == "gazetteer+ctx" and c.ctx_type}
        for c in chosen:
            if c.rule == "gazetteer+ctx" and c.ctx_type is None and (c.type, c.canonical) in accepted:
                c.ctx_type = c.type
        # a one-token variant of a method named in the paper is a method ("ESeg" -> "ESeg-Lite-S")
        method_names = {c.canonical for c in chosen if c.ctx_type == "Method" and len(c.canonical) >= 3}
        variant_of = tuple(n + "-" for n in method_names)
        for c in chosen:
            if c.ctx_type is None and c.rule.startswith("shape:") and c.text.startswith(variant_of):
                c.ctx_type = "Method"
                c.rule = "shape:variant"
        # a shape token that the paper defines ("... (DA)") follows the definition's decision
        def_short: dict[str, str | None] = {}
        for c in chosen:
            if c.rule == "definition+gazetteer" and c.text in c.aliases:
                def_short[_singular(c.text)] = c.type
            if c.rule == "definition":
                k = (c.field, c.canonical)
                def_short.setdefault(c.canonical, decided.get(k))
                if decided.get(k):
                    def_short[c.canonical] = decided.get(k)
        typed: list[_Cand] = []
        for c in chosen:
            t = c.ctx_type
            if c.rule == "definition":
                t = decided.get((c.field, c.canonical))
            elif c.rule.startswith("shape") and (sg := _singular(c.text)) in def_short:
                t = def_short[sg]
            if t is None:
                continue
            c.type = t
            typed.append(c)
        # one type per rule-found name within a paper: the most specific cue wins
        prio = {"title-head": 0, "shape:head": 1, "shape:suffix": 1, "shape:apposition": 2, "shape:list": 3,
                "shape:contribution": 4, "shape:eval-on": 5, "shape:default": 9}
        best: dict[str, tuple[int, str]] = {}
        for c in typed:
            if c.rule in prio:
                p = prio[c.rule]
                k = norm_key(c.canonical)
                if k not in best or p < best[k][0]:
                    best[k] = (p, c.type)
        for c in typed:
            if c.rule in prio:
                c.type = best[norm_key(c.canonical)][1]

        # introduced
        self._mark_introduced(typed, texts, title, abs_sents)

        # drop "?lower" leftovers, keep the rest
        final = [c for c in typed if c.type in ("Benchmark", "Method", "Task", "Metric")]

        # repeats: later occurrences of names found by rules (not gazetteer — already matched everywhere)
        final = self._add_repeats(final, texts)

        # entity-level canonical / aliases / introduced
        groups: dict[tuple[str, str], list[_Cand]] = {}
        for c in final:
            k = (c.type, _group_key(c.canonical))
            groups.setdefault(k, []).append(c)
        # merge groups linked by aliases (definitions). (The candidates of a group share its type; a second candidate
        # with the same aliases tuple, as mentions of one gazetteer entity have, only repeats setdefault calls that
        # change nothing: it is skipped.)
        alias_index: dict[tuple[str, str], tuple[str, str]] = {}
        for k, cs in list(groups.items()):
            seen_al = set()
            for c in cs:
                al = c.aliases
                if al and id(al) not in seen_al:
                    seen_al.add(id(al))
                    t = c.type
                    for ak in _norm_keys(al):
                        alias_index.setdefault((t, ak), k)
        for k in list(groups.keys()):
            if k in alias_index and alias_index[k] != k and alias_index[k] in groups and k in groups:
                target = alias_index[k]
                groups[target].extend(groups.pop(k))
        mentions: list[Mention] = []
        info: dict[int, tuple[str, tuple[str, ...], bool]] = {}
        for k, cs in groups.items():
            canon = None
            for c in cs:
                if c.rule.startswith(("definition", "gazetteer")):
                    canon = c.canonical
                    break
            if canon is None:
                canon = _strip_size(cs[0].canonical)
            # each candidate's aliases, then its canonical name, in order: a name other than canon, with another
            # key, not yet listed. (Mentions of one gazetteer entity share one aliases tuple: a tuple seen before
            # adds nothing new, so it is not gone through again.)
            ck = norm_key(canon)
            aliases = []
            listed = set()
            seen_tuples = set()
            for c in cs:
                al = c.aliases
                if id(al) not in seen_tuples:
                    seen_tuples.add(id(al))
                    for a, ak in zip(al, _norm_keys(al)):
                        if a not in listed and a != canon and ak != ck:
                            aliases.append(a)
                            listed.add(a)
                a = c.canonical
                if a not in listed and a != canon and norm_key(a) != ck:
                    aliases.append(a)
                    listed.add(a)
            entry = (canon, tuple(aliases), any(map(_INTRODUCED, cs)))
            for c in cs:
                info[id(c)] = entry
        # (by (field != "title", start, end), as chosen above: per field, with a C key)
        in_title = [c for c in final if c.field == "title"]
        in_abstract = [c for c in final if c.field != "title"]
        for c in sorted(in_title, key=_START_END) + sorted(in_abstract, key=_START_END):
            canon, aliases, intro = info[id(c)]
            mentions.append(_new_mention(c.type, c.text, c.start, c.end, c.field, canon, aliases, intro, c.rule))
        return mentions

    def _type_of(self, c: _Cand, text: str, strong: dict) -> str | None:
        rule = c.rule
        # decisions that need no context: a plain gazetteer name that is not a benchmark, a typed definition, a
        # phrase or list candidate (the same answers as the full tests below)
        if rule == "gazetteer":
            if c.type != "Benchmark":
                return c.type
            # a plain gazetteer benchmark: of the tests below, only the one on the next word applies (the same test,
            # its terms in another order; "before" is only needed by _shared_task_data)
            # (_next_words(text, c.end, 1), its one search inlined: a third of the calls of _type_of come here)
            nm = _R_next_words_1.search(text, c.end, c.end + 40)
            head = nm.group().lower() if nm is not None else ""
            if (head in _NOT_DATA_HEADS or head == "shared") and head not in _RESOURCE_PARTS \
                    and not _shared_task_data(text, c, text[max(0, c.start - 80):c.start]):
                return None  # ("WordNet senses", "YAGO relations" still name the resource)
            return c.type
        elif rule.startswith("definition"):
            if c.type not in (None, "?lower"):
                return c.type
        elif rule.startswith("phrase:") or rule in ("list:data-head", "list:plain"):
            return c.type
        before = text[max(0, c.start - 80):c.start]
        if rule.startswith(("gazetteer", "definition")):
            after_words = _next_words(text, c.end, 2)
        else:
            # shape candidates (the only rules left) also test the third word: the three words are read at once
            # (the first two of _next_words(..., 3) are _next_words(..., 2): the same search, stopped later)
            after3 = _next_words(text, c.end, 3)
            after_words = after3[:2]
        head = after_words[0] if after_words else ""
        if c.rule.startswith("gazetteer"):
            if c.type == "Benchmark" and (head in _NOT_DATA_HEADS or head == "shared") and not _shared_task_data(text, c, before) \
                    and head not in _RESOURCE_PARTS:
                return None  # ("WordNet senses", "YAGO relations" still name the resource)
            if c.rule == "gazetteer+ctx":
                if c.type == "Benchmark":
                    if head in _BENCH_HEADS or _eval_cues(before) or _list_intro_bench(before) \
                            or _num_on(before) or _AS_SPLIT_AFTER.match(text, c.end) \
                            or (_ON_OPENING.search(before) and _R_type_of_1.match(text[c.end:c.end + 3])):
                        return c.type
                    if self._in_list_with(c, strong, text, "Benchmark"):
                        return c.type
                    return None
                if c.type == "Method":
                    if head in _METHOD_HEADS or _list_intro_method(before) or self._in_list_with(c, strong, text, "Method"):
                        return c.type
                    return None
                return None
            return c.type
        if c.rule.startswith("definition"):
            if c.type not in (None, "?lower"):
                return c.type
            ctx_before = text[max(0, c.start - 150):c.start]
            contrib = bool(_our(before) or _naming(before) or _contrib_search(ctx_before))
            if c.type == "?lower":
                return "Method" if contrib or head in _METHOD_HEADS else None
            if head in _STRONG_BENCH_HEADS or _bench_suffix(c.canonical) or _eval_cues(before):
                return "Benchmark"
            if _is_stop(c.canonical):
                return None
            if contrib or c.field == "title" or self._in_list_with(c, strong, text, "Method") \
                    or _list_intro_method(before):
                return "Method"
            return None
        if c.rule.startswith("phrase:") or c.rule in ("list:data-head", "list:plain"):
            return c.type
        # shape candidates
        surface = c.text
        shp = c.rule.split(":", 1)[1]
        hm = _R_type_of_2.search(before) if text[c.end:c.end + 1] == ")" else None
        if hm:
            w = hm.group(1)
            if w in _METRIC_HEADS:
                return "Metric"
            if w in _STRONG_BENCH_HEADS:
                return "Benchmark"
            if w in _TASK_HEADS or w in ("task", "problem"):
                return None
        if head in ("library", "package", "toolkit", "codebase", "library's", "api", "python"):
            return None
        if c.field == "title" and _title_head_colon(text, surface):
            c.rule = "title-head"
            return "Benchmark" if _bench_suffix(surface) else "Method"
        # the first character after the name that is not whitespace ("" when the next 80 characters are all
        # whitespace: then no test below is skipped). Several patterns anchored right after the name need a given one
        # there: _R_type_of_3 ":", _AS_SPLIT_AFTER "," or "a" ("and", "as"), _R_type_of_6 "i" or "w" ("is", "was",
        # after whitespace), _R_type_of_7 ","; when it is another one they cannot match and are not run
        after80 = text[c.end:c.end + 80]
        nx = after80.lstrip()[:1]
        if nx == ":" and _R_type_of_3.match(after80):
            c.rule = "shape:head"
            return "Benchmark"
        if head in _STRONG_BENCH_HEADS or (head in ("test", "validation", "dev") and len(after_words) > 1 and after_words[1] in ("set", "sets", "split")) \
                or (len(after3) > 1 and after3[1] in _STRONG_BENCH_HEADS and after3[0].islower() and _R_type_of_4.match(text[c.end:c.end + 3])
                    and after3[0] not in _METHOD_HEADS and after3[0] not in _FUNC_AFTER):
            c.rule = "shape:head"
            return "Benchmark"
        if (head in _NOT_DATA_HEADS or (head == "shared" and len(after_words) > 1)) and not _shared_task_data(text, c, before):
            return None  # "SemEval workshops", "CoNLL shared task": venues / campaigns
        if _EVENT_AFTER.match(text, c.end) and not _DATA_OF_BEFORE.search(before):
            return None  # "the WMT12 metrics task", "IWSLT2012 evaluations": an event, not its data
        # (may_type False: none of the tests of "before" by _split_is_before, _list_cue_end, _eval_cues, _num_on,
        # _data_apposition_before, _naming, _our below can be true, see _before_may_type: they are skipped)
        may_type = _before_may_type(before)
        if ((nx in (",", "a", "")) and _AS_SPLIT_AFTER.match(text, c.end)) or (may_type and _split_is_before(before)):
            c.rule = "shape:head"
            return "Benchmark"  # "MT04 as development set", "the test sets are NIST06 and NIST08"
        if _suffix_benchmark(surface):
            c.rule = "shape:suffix"
            return "Benchmark"
        # (_list_intro_bench and _list_intro_method share their pre-check on "before": it is computed once)
        list_cue = may_type and _list_cue_end(before)
        if list_cue and _LIST_INTRO_BENCH.search(before) is not None:
            c.rule = "shape:list"
            return "Benchmark"
        if head in _TASK_HEADS and shp == "caps":
            return None  # "ASR systems", "NER tagging": part of a task phrase
        if head in _METHOD_HEADS and head not in _GENERIC_METHOD_HEADS:
            c.rule = "shape:head"
            return "Method"
        if list_cue and _LIST_INTRO_METHOD.search(before) is not None:
            c.rule = "shape:list"
            return "Method"
        if may_type and (_eval_cues(before) or _num_on(before)):
            c.rule = "shape:eval-on"
            return "Benchmark"
        if may_type and _data_apposition_before(before):
            c.rule = "shape:apposition"
            return "Benchmark"  # "a new dataset of news articles, CC-News,"
        # (_coordinated needs a separator between c and the other name: right after c, whitespace skipped, or right
        # before it, whitespace dropped, see _may_coordinate; without one, neither test below can be true)
        if _may_coordinate(before, after80):
            if self._in_list_with(c, strong, text, "Benchmark"):
                c.rule = "shape:list"
                return "Benchmark"
            if self._in_list_with(c, strong, text, "Method"):
                c.rule = "shape:list"
                return "Method"
        cop = _R_type_of_6.match(text[c.end:c.end + 120]) if nx in ("i", "w", "") else None
        if cop:  # "X is an open multilingual parallel corpus"
            ws = cop.group(1).lower().split()
            for k, w in enumerate(ws):
                if w in ("benchmark", "dataset", "corpus", "treebank", "suite", "testbed") and \
                        (k + 1 == len(ws) or ws[k + 1] in _FUNC or ws[k + 1] in ("that", "which", "designed", "built")):
                    c.rule = "shape:apposition"
                    return "Benchmark"
        app = _R_type_of_7.match(text[c.end:c.end + 120]) if nx in (",", "") else None
        if app:
            for w in _R_type_of_8.findall(app.group(1).lower()):
                if w in _STRONG_BENCH_HEADS or w in ("set", "collection", "challenge", "environment"):
                    c.rule = "shape:apposition"
                    return "Benchmark"
                if w in _METHOD_HEADS and w not in _GENERIC_METHOD_HEADS:
                    c.rule = "shape:apposition"
                    return "Method"
        if _contrib_search(text[max(0, c.start - 100):c.start]) or (may_type and (_naming(before) or _our(before))):
            c.rule = "shape:contribution"
            return "Method"
        if shp in ("camel", "alnum", "hyphcaps"):
            # (an _EVAL_CUES context was tested above, on the same text, and returned there)
            c.rule = "shape:default"
            return "Method"
        return None  # a bare all-caps acronym without any supporting context

    def _in_list_with(self, c: _Cand, strong: dict, text: str, typ: str) -> bool:
        """True when ``c`` is coordinated ("A, B, and C" / "A and B" / "A/B") with a known ``typ`` (``strong``: per
        type, the _near_index of the chosen names of that type with strength >= 3, see _finalize)."""
        return _coordinated_near(c, strong[typ].get(c.field), text)

    def _mark_introduced(self, cands: list[_Cand], texts: dict[str, str], title: str,
                         sents: list[tuple[int, int]] | None = None) -> None:
        mb = [c for c in cands if c.type in ("Method", "Benchmark")]
        # 1. title: the head before the colon, names defined in the title, and any name the gazetteer does
        #    not know (a new name in a title is, in practice, the paper's own)
        m = _R_mark_introduced_1.match(title or "")
        for c in mb:
            if c.field != "title":
                continue
            if c.rule == "title-head" or c.rule.startswith("definition"):
                c.introduced = True
            elif m and c.start == m.start(1) and c.end == m.end(1):
                c.introduced = True  # "RandAugment: Practical automated ..." (even a well-known name)
            elif m and c.end <= m.end(1) + 1 and len(_R_mark_introduced_2.findall(m.group(1))) <= 3 \
                    and not c.rule.startswith("gazetteer"):
                c.introduced = True
            elif not c.rule.startswith("gazetteer"):
                c.introduced = True
        title_keys = {norm_key(x) for c in mb if c.field == "title" for x in (c.text, c.canonical, *c.aliases)}
        text = texts["abstract"]
        if sents is None:
            sents = _sentences(text)
        abs_mb = [c for c in mb if c.field == "abstract"]
        for c in abs_mb:
            if not c.rule.startswith("gazetteer") and (
                    norm_key(c.text) in title_keys or norm_key(c.canonical) in title_keys
                    or any(norm_key(a) in title_keys for a in c.aliases)
                    or (len(c.text) > 12 and norm_key(c.text) in norm_key(title))):
                c.introduced = True
        # 2. abstract sentences (abs_mb is in text order: the names of a sentence are a slice of it)
        abs_starts = [c.start for c in abs_mb]
        for s0, e0 in sents:
            in_sent = abs_mb[bisect.bisect_left(abs_starts, s0):bisect.bisect_left(abs_starts, e0)]
            if not in_sent:
                continue
            sent = text[s0:e0]
            verbs = (list(_CONTRIB_FAST.finditer(sent)) if _may_contrib(sent) else []) \
                + (list(_CONTRIB_AND_FAST.finditer(sent)) if _may_contrib_and(sent) else [])
            has_we = ("we" in sent or "We" in sent or "ur" in sent or "his " in sent) \
                and _R_mark_introduced_3_FAST.search(sent) is not None
            prev_intro: _Cand | None = None
            for c in in_sent:
                rel = c.start - s0
                before = sent[max(0, rel - 60):rel]
                after = text[c.end:c.end + 60]
                # the first character of "after" that is not whitespace: _CITATION_AFTER needs "(" or "[" there,
                # _R_mark_introduced_5 ")" or the "i" / "a" of "is" / "are", _R_mark_introduced_8 ","; the patterns
                # are only run when it is one of theirs
                nx = after.lstrip()[:1]
                if nx in ("(", "[") and _CITATION_AFTER.match(after):
                    prev_intro = None
                    continue
                intro = False
                if (verbs or has_we) and _naming(sent[max(0, rel - 30):rel]):
                    intro = True
                elif _our(before) and not _R_mark_introduced_4.search(before):
                    intro = True
                elif nx in (")", "i", "a") and _R_mark_introduced_5.match(after):
                    intro = True  # "X is proposed" (present tense; "was proposed (2014)" is prior work)
                elif _new_such_as(before):
                    intro = True
                elif prev_intro is not None and _R_mark_introduced_7.fullmatch(text[prev_intro.end:c.start]):
                    intro = True  # "we propose A, B and C"
                elif has_we and nx == "," and _R_mark_introduced_8.match(after):
                    intro = True
                else:
                    verb = None
                    for v in verbs:
                        if v.end() <= rel and (verb is None or v.end() > verb.end()):
                            verb = v
                    if verb is not None:
                        between = sent[verb.end():rel]
                        first = not any(verb.end() <= o.start - s0 < rel for o in in_sent if o is not c)
                        if first and len(between) <= 150 \
                                and not _R_mark_introduced_9.search(between) \
                                and (not _NO_INTRO_BEFORE.search(before) or _OF_OK.search(before)):
                            intro = True
                if intro:
                    c.introduced = True
                    prev_intro = c
                else:
                    prev_intro = None
        # 3. named variants of an introduced name ("SpineNet-190", "CondConv-EfficientNet")
        intro_names = {c.canonical for c in mb if c.introduced and len(c.canonical) >= 3}
        variant_of = tuple(n + sep for n in intro_names for sep in ("-", " "))
        for c in mb:
            if not c.introduced and not c.rule.startswith("gazetteer"):
                if c.canonical.startswith(variant_of):
                    c.introduced = True

    def _add_repeats(self, final: list[_Cand], texts: dict[str, str]) -> list[_Cand]:
        """Occurrences of rule-found names elsewhere in the title/abstract (definitions, shapes)."""
        names: dict[str, _Cand] = {}
        for c in final:
            if c.rule.startswith("gazetteer"):
                continue
            for form in {c.text, c.canonical}:
                if len(form) >= 2 and form not in names:
                    names[form] = c
        if not names:
            return final
        occupied = {f: [(c.start, c.end) for c in final if c.field == f] for f in texts}
        # the same spans as a set: an occurrence at the very span of a name found before (the usual case: the name's
        # own mention) overlaps it, without going through the list (a name has 2 characters or more: not empty)
        occupied_set = {f: set(spans) for f, spans in occupied.items()}
        out = list(final)
        # the occurrences the alternation r"(?<![\w\-])(name|...)(?:s)?(?![\w\-])" (longest name first) finds with
        # finditer, found without compiling a pattern per paper: at each position, left to right, the first name
        # (in that order) that occurs there, is not preceded by a word character or "-", and is followed by one
        # neither (after an optional "s", tried first); the scan resumes after the match
        order = sorted(names, key=len, reverse=True)
        for fname, text in texts.items():
            at: dict[int, list[int]] = {}
            for rank, n in enumerate(order):
                p = text.find(n)
                while p >= 0:
                    at.setdefault(p, []).append(rank)
                    p = text.find(n, p + 1)
            if not at:
                continue
            resume = 0
            for p in sorted(at):
                if p < resume or (p > 0 and _WORD_OR_HYPHEN.match(text, p - 1)):
                    continue
                for rank in sorted(at[p]):
                    n = order[rank]
                    e = p + len(n)
                    if text.startswith("s", e) and not _WORD_OR_HYPHEN.match(text, e + 1):
                        m_end = e + 1
                    elif not _WORD_OR_HYPHEN.match(text, e):
                        m_end = e
                    else:
                        continue
                    resume = m_end
                    s, e = p, p + len(n)
                    if (s, e) not in occupied_set[fname] \
                            and not any(not (e <= a or s >= b) for a, b in occupied[fname]):
                        src = names[n]
                        out.append(_Cand(fname, s, e, n, src.type, src.canonical, src.aliases, "repeat",
                                         src.strength, False))
                        occupied[fname].append((s, e))
                        occupied_set[fname].add((s, e))
                    break
        return out


def _title_head_colon(text: str, surface: str) -> bool:
    r"""``re.match(r"^\s*" + re.escape(surface) + r"\s*(?:\([^)]*\)\s*)?:", text)`` without a per-paper regex.

    ``surface`` is the title's first name ("DeepFusion" in "DeepFusion (DF): ..."). str.lstrip() strips exactly
    what ``\s`` matches in a str pattern. A surface with outer whitespace (never produced by the tokenizer) keeps
    the regex, whose backtracking over ``\s*`` the string version does not reproduce.
    """
    if surface != surface.strip():
        return re.match(r"^\s*" + re.escape(surface) + r"\s*(?:\([^)]*\)\s*)?:", text) is not None
    rest = text.lstrip()
    if not rest.startswith(surface):
        return False
    rest = rest[len(surface):].lstrip()
    if rest.startswith("("):
        close = rest.find(")")
        return close >= 0 and rest[close + 1:].lstrip().startswith(":")
    return rest.startswith(":")


_GENERIC_CLASS_HEADS = {  # plural or mass nouns: "a ... network (DRCN)" is usually a paper's own model
    "models", "networks", "learning", "agents", "systems", "processing", "fine-tuning", "finetuning",
}
_SENT_START_BEFORE = re.compile(r"(?:^|[.!?:;]\s*)$")
_NAMING_BEFORE = re.compile(r"\b(?:called|named|dubbed|termed|coined|propose|proposes|proposed|present|presents|"
                            r"introduce|introduces|introduced|a|an|our)\s+$", re.I)


def _generic_class(long_words: list[str], text: str, ls: int, short: str) -> bool:
    """A definition's long form names a category ("pretrained language models", "natural language processing").

    All words lowercase, except a capitalized first word at the start of a sentence ("Graph neural networks
    (GNNs) ..."), the last word a plural or mass class head, an all-caps short form, and no introduction or
    article right before ("we propose a ..." / "called ...").
    """
    if len(long_words) < 2 or long_words[-1].lower() not in _GENERIC_CLASS_HEADS:
        return False
    core = short.removesuffix("s")
    if not core.isupper() or _NAMING_BEFORE.search(text[max(0, ls - 40):ls]):
        return False  # "CoGAN", "biLM" are name-shaped; "we propose meta-transfer learning (MTL)" introduces one
    if any(not w.islower() for w in long_words[1:]):
        return False
    first = long_words[0]
    if first.islower():
        return True
    return first[0].isupper() and first[1:].islower() and _SENT_START_BEFORE.search(text[:ls]) is not None


_KEY_CACHE_MAX = 100_000  # entries kept by the two caches below (cleared when full)
_group_keys: dict[str, str] = {}
_alias_keys: dict[tuple[str, ...], tuple[str, ...]] = {}


def _group_key(canonical: str) -> str:
    """``norm_key(_strip_size(canonical))`` (both pure), kept in a plain dict: cheaper than two lru_cache calls."""
    k = _group_keys.get(canonical)
    if k is None:
        if len(_group_keys) >= _KEY_CACHE_MAX:
            _group_keys.clear()
        k = _group_keys[canonical] = norm_key(_strip_size(canonical))
    return k


def _norm_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """``tuple(map(norm_key, names))``, cached per tuple (gazetteer entries' aliases tuples come back often)."""
    ks = _alias_keys.get(names)
    if ks is None:
        if len(_alias_keys) >= _KEY_CACHE_MAX:
            _alias_keys.clear()
        ks = _alias_keys[names] = tuple(map(norm_key, names))
    return ks


@lru_cache(maxsize=100_000)
def _strip_size(name: str) -> str:
    m = _MODEL_SIZE_SUFFIX.match(name)
    if m and " " in name:
        return m.group("base")
    return name


_R_coordinated_1 = re.compile(r"(?:\s*(?:,|/|and|or|&|,\s*and|,\s*or)\s*(?:the\s+)?(?:[A-Za-z0-9][\w.\-+]*(?:\s*,\s*|\s+and\s+|\s+or\s+|/))*?)\s*")
_R_coordinated_2 = re.compile(r"\b(?:and|or)\b|[/&]")
_R_coordinated_3 = re.compile(r"\s*(?:,|/|&|and\b|or\b)")
_R_coordinated_4 = re.compile(r"(?:\b(?:and|or)\s+(?:the\s+)?|[/&]\s*)$")
# a gap _R_coordinated_1 matches starts, after whitespace (what str.lstrip() strips), with one of its separators
_COORD_SEPS = (",", "/", "and", "or", "&")
# what a gap _R_coordinated_1 matches ends with, whitespace dropped: a separator, the last word's separator
# (",", "and", "or", "/") or the optional "the"
_COORD_GAP_ENDS = (",", "/", "and", "or", "&", "the")


def _may_coordinate(before: str, after: str) -> bool:
    """False only when _coordinated is False for a name whatever the other names: ``before`` / ``after`` are the
    (at least) 60 characters before / after it. A gap to a name after it must start, after whitespace, with one of
    _COORD_SEPS (tested there); a gap to a name before it ends, without its trailing whitespace, with one of
    _COORD_GAP_ENDS. A gap is at most 60 characters and holds a separator, so both show in those windows."""
    return after.lstrip().startswith(_COORD_SEPS) or before.rstrip().endswith(_COORD_GAP_ENDS)


def _near_index(names: list[_Cand]) -> dict[str, tuple[list[_Cand], list[int], list[int]]]:
    """``names`` (in the order of chosen: by start within a field) per field, with their starts (increasing) and the
    running maximum of their ends, for _coordinated_near."""
    index: dict[str, tuple[list[_Cand], list[int], list[int]]] = {}
    for o in names:
        lst, o_starts, o_maxends = index.setdefault(o.field, ([], [], []))
        lst.append(o)
        o_starts.append(o.start)
        o_maxends.append(max(o.end, o_maxends[-1]) if o_maxends else o.end)
    return index


def _coordinated_near(c: _Cand, entry: tuple[list[_Cand], list[int], list[int]] | None, text: str) -> bool:
    """``_coordinated(c, names, text)`` for the names of c's field in ``entry`` (a value of _near_index).

    _coordinated only accepts a name whose gap to c is at most 60 characters: one ending at or after c.start - 60
    (so at or after the first index whose running maximum of ends reaches that) and starting at or before
    c.end + 60 (so before the first index whose start passes that). Its answer is "any of them": the names outside
    that slice cannot change it."""
    if entry is None:
        return False
    others, o_starts, o_maxends = entry
    lo = bisect.bisect_left(o_maxends, c.start - 60)
    hi = bisect.bisect_right(o_starts, c.end + 60)
    return lo < hi and _coordinated(c, others[lo:hi], text)


def _coordinated(c: _Cand, others: list[_Cand], text: str) -> bool:
    """True when ``c`` is coordinated ("A, B, and C" / "A and B" / "A/B") with one of ``others``."""
    for o in others:
        if o is c or o.field != c.field:
            continue
        # (a gap longer than 60 characters never counts: tested on the offsets before slicing)
        if o.end <= c.start:
            if c.start - o.end > 60:
                continue
            gap = text[o.end:c.start]
        elif c.end <= o.start:
            if o.start - c.end > 60:
                continue
            gap = text[c.end:o.start]
        else:
            continue
        if len(gap) <= 60 and gap.lstrip().startswith(_COORD_SEPS) and _R_coordinated_1.fullmatch(gap):
            if not _R_coordinated_2.search(gap) and not (
                    _R_coordinated_3.match(text[c.end:c.end + 6])
                    or _R_coordinated_4.search(text[max(0, c.start - 8):c.start])):
                continue  # a lone comma is not a list: "On SQuAD, KestrelNet reaches ..."
            return True
    return False
