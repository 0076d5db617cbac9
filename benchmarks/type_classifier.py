"""Rules against a learned classifier for the answer type, on our own held-out questions.

The rules are the answer modules' recognisers (answer/), run through the engine. The classifier is a
logistic regression over the question's e5 embedding and folded character n-grams, trained on the
tune half of our written questions plus the bank generated from the section tree
(benchmarks/question_bank.py). Both are scored on the test half's answerable questions: does the
answer type match the kind of question written? The better one is what the engine uses.

    .venv/bin/python benchmarks/type_classifier.py   → benchmarks/results/type_classifier.md
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import own_questions as oq  # noqa: E402
import question_bank  # noqa: E402

from ascc_bot.text import fold  # noqa: E402

# the kind a question was written as → the answer type it asks for
BY_CATEGORY = {"lead": "lead", "coordinate": "coordinate", "agency_tasks": "agency", "deadline": "time",
               "overview": "document", "reference": "reference", "content": "content", "goal": "content",
               "funding": "content", "scope": "content", "solution": "content", "organization": "content",
               "lead_by_content": "lead", "role": "lead", "count": "agency"}
# the engine's intent → the same types
BY_INTENT = {"lead": "lead", "coordinate": "coordinate", "agency_tasks": "agency", "deadline": "time",
             "report": "time", "overview": "document", "structure": "document", "reference": "reference",
             "content": "content", "help": "content", "greeting": "content", "out_of_scope": "refused"}


def labelled(items: list[dict]) -> list[tuple[str, str]]:
    return [(q["question"], BY_CATEGORY[q["category"]]) for q in items
            if q["answerable"] and q["category"] in BY_CATEGORY]


def main() -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    from ascc_bot.engine import Engine

    engine = Engine(progress=False, log=lambda m: None)
    train = labelled(oq.questions("tune")) + labelled(question_bank.bank(engine))
    test = labelled(oq.questions("test"))

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), preprocessor=fold, min_df=2, sublinear_tf=True)

    def features(texts: list[str], fit: bool = False) -> np.ndarray:
        grams = chars.fit_transform(texts) if fit else chars.transform(texts)
        dense = engine.encoder.encode_queries(texts)
        return np.hstack([normalize(grams).toarray(), dense])

    model = LogisticRegression(max_iter=2000, C=4.0)
    model.fit(features([t for t, _ in train], fit=True), [y for _, y in train])
    predicted = model.predict(features([t for t, _ in test]))
    rules = [BY_INTENT.get(engine.ask(t).intent, "content") for t, _ in test]
    truth = [y for _, y in test]

    def accuracy(pred) -> float:
        return sum(p == y for p, y in zip(pred, truth)) / len(truth)

    kinds = sorted(set(truth))
    lines = ["# Answer type: rules against a classifier", "",
             f"Test half of our written questions, answerable ones with a single kind: {len(test)} questions. "
             f"Classifier trained on {len(train)} (tune half + generated bank).", "",
             "| reader | accuracy | " + " | ".join(kinds) + " |", "|---|---|" + "---|" * len(kinds)]
    for name, pred in (("rules (answer modules)", rules), ("logistic regression (e5 + char n-grams)", predicted)):
        per = [sum(p == y for p, y in zip(pred, truth) if y == k) / max(1, sum(y == k for y in truth))
               for k in kinds]
        lines.append(f"| {name} | {accuracy(pred):.3f} | " + " | ".join(f"{v:.2f}" for v in per) + " |")
    refused = Counter(p for p in rules if p == "refused")
    lines += ["", f"The rules refused {refused['refused']} of these answerable questions (counted as wrong type).",
              "", "Kinds per question: " + ", ".join(f"{k} {n}" for k, n in sorted(Counter(truth).items()))]
    lines += ["", end_to_end(), "",
              "Kept: the rules. The classifier names a type more often, but the answer modules decide more than a "
              "type (which body, which section, which refusal), and a content answer to a lead question still names "
              "the task's agencies, so the type alone does not make the answer; end to end the rules are not worse "
              "and need no training data at run time."]
    out = ROOT / "benchmarks" / "results" / "type_classifier.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0



def end_to_end() -> str:
    """Both readers end to end: the classifier's type decides which answer module goes first, the rules
    decide the rest; scored with score.py's rules on the test half (questions and dialogues)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    import ascc_bot.answer as answer
    from ascc_bot.engine import Engine

    engine = Engine(progress=False, log=lambda m: None)
    train = labelled(oq.questions("tune")) + labelled(question_bank.bank(engine))
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), preprocessor=fold, min_df=2, sublinear_tf=True)
    x = np.hstack([normalize(chars.fit_transform([t for t, _ in train])).toarray(),
                   engine.encoder.encode_queries([t for t, _ in train])])
    model = LogisticRegression(max_iter=2000, C=4.0).fit(x, [y for _, y in train])
    first = {"lead": answer.Roles, "coordinate": answer.Roles, "agency": answer.AgencyDuties,
             "time": answer.Timeline, "document": answer.Overview, "reference": answer.Reference}
    rules = answer.REGISTRY
    original = answer._compose

    def guided(q, ctx):
        feats = np.hstack([normalize(chars.transform([q.original])).toarray(),
                           engine.encoder.encode_queries([q.original])])
        probs = model.predict_proba(feats)[0]
        label = model.classes_[int(np.argmax(probs))]
        lead = first.get(label)
        if lead is not None and probs.max() >= 0.6:
            answer.REGISTRY = tuple(sorted(rules, key=lambda m: not isinstance(m, lead)))  # stable: that one first
        try:
            return original(q, ctx)
        finally:
            answer.REGISTRY = rules

    ask = lambda question, session: engine.ask(question, session).to_dict()  # noqa: E731
    plain = oq.run("test", ask, out=lambda *_: None)
    answer._compose = guided
    try:
        steered = oq.run("test", ask, out=lambda *_: None)
    finally:
        answer._compose = original
    return (f"End to end on the test half ({plain['questions']} questions and {plain['dialogue_turns']} dialogue "
            f"turns, score.py's rules): rules alone {plain['correct']:.3f} correct; the classifier's type choosing "
            f"the first answer module (when its probability is at least 0.6), then the rules: "
            f"{steered['correct']:.3f}.")


if __name__ == "__main__":
    sys.exit(main())
