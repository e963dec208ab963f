"""Schema round trips of one spec's generated models, judged by tools that
are not the generator: hypothesis-jsonschema draws instances from each
schema, openapi-schema-validator (python-jsonschema with the OpenAPI 3.0 or
3.1 dialect) says which are valid, and the generated harness
(`<prefix>-conform`) decodes them as a server would.

    roundtrip.py SPEC INDEX HARNESS [--count N] [--seed S] [--degraded FILE]

SPEC is the spec as published, INDEX the harness's conform.json (pointer and
Rust type of every harnessed schema), HARNESS its binary, FILE the pointers
the generator reported as degraded (one per line). Prints one JSON object:
counts, and the failures, each with its class, pointer and instance.

A valid instance must decode, pass `validate()`, and encode to JSON that the
validator accepts and that equals the input up to the normalisations
`same()` documents. An invalid one (a mutation of a valid one that the
validator rejects) must fail to decode or to validate, except under a
schema whose closure holds a degraded place, which is looser on purpose.
"""

import argparse
import copy
import datetime
import json
import math
import os
import random
import signal
import struct
import subprocess
import sys
import warnings

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import HypothesisException
from hypothesis_jsonschema import from_schema

from dialect import Document, validator_for

MUTATIONS = 10
ODD_VALUES = [None, 0, -1, 1.5, 12345678901, "", "x", "NOT_IN_THE_SPEC", True, [], {}, ["x"], {"x": 1}]


# Seconds of drawing per schema.
DRAW_SECONDS = 20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("index")
    parser.add_argument("harness")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--degraded")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(20000)

    document = Document(args.spec)
    with open(args.index) as f:
        index = json.load(f)["types"]
    degraded = []
    if args.degraded and os.path.exists(args.degraded):
        with open(args.degraded) as f:
            degraded = [line.strip() for line in f if line.strip()]

    report = {"schemas": 0, "skipped": {}, "valid": 0, "invalid": 0, "spec_examples": 0,
              "discarded": 0, "lenient": {}, "failures": []}
    cases = []  # (pointer, instance, expect_valid, schema, type)
    for entry in index:
        pointer = entry["pointer"]
        located = document.locate(pointer, entry.get("source"))
        if located is None:
            skip(report, "not in the published document")
            continue
        schema_ref, raw = located
        validate = validator_for(document, schema_ref)
        # Invalid instances that the models accept on purpose, each judged by
        # the validator with one rule relaxed (tests/CONFORMANCE.md).
        lenient = [("only match several `oneOf` variants",
                    validator_for(document, schema_ref, one_of_as_any_of=True)),
                   ("hold a `format: float` number too small for 32 bits, read as 0",
                    validator_for(document, schema_ref, float_flush=True))]
        # The 3.0 validator reads `required` so where `readOnly` is written
        # on the property itself, not where the schema it refers to says it.
        lenient.append(("lack only a `readOnly` or `writeOnly` member that `required` lists (required in one direction only, as OpenAPI 3.0 says)",
                        validator_for(document, schema_ref, one_way_required=True)))
        if not (isinstance(raw, dict) and "discriminator" in raw):
            lenient.append(("are a subtype decoded on its own whose discriminator value names another schema",
                            validator_for(document, schema_ref, discriminators=False)))
        try:
            converted = document.convert(raw, schema_ref)
        except RecursionError:
            skip(report, "too deep to expand")
            continue
        rng = random.Random(f"{args.seed}:{pointer}")
        valid, invalid = [], []
        candidates = [(v, True) for v in document.examples(raw)]
        drawn, timed_out = draw(converted, args.count, args.seed)
        if timed_out:
            report["slow"] = report.get("slow", 0) + 1
        candidates += [(v, False) for v in drawn]
        seen = set()
        for value, from_spec in candidates:
            key = json.dumps(value, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            if validate(value):
                if value is None:
                    # A type is never null: `Option` says so where it is used.
                    continue
                valid.append(value)
                report["spec_examples"] += from_spec
            else:
                invalid.append(value)
        if not valid and not invalid:
            skip(report, "no instance could be drawn")
            continue
        report["schemas"] += 1
        for value in valid:
            for _ in range(MUTATIONS):
                mutated = mutate(value, rng)
                if mutated is not None and not validate(mutated):
                    invalid.append(mutated)
        looser = document.closure_degraded(raw, schema_ref, degraded)
        seen_invalid = set()
        for value in valid:
            cases.append((pointer, value, True, converted, validate, lenient))
        for value in invalid:
            key = json.dumps(value, sort_keys=True)
            if key in seen_invalid:
                continue
            seen_invalid.add(key)
            if looser:
                report["discarded"] += 1
                continue
            cases.append((pointer, value, False, converted, validate, lenient))

    answers = run_harness(args.harness, cases)
    for (pointer, value, expect_valid, converted, validate, lenient), answer in zip(cases, answers):
        kind, _, detail = answer.partition("\t")
        if expect_valid:
            report["valid"] += 1
            if kind != "ok":
                fail(report, f"valid instance refused ({kind})", pointer, value, detail)
                continue
            back = json.loads(detail)
            if not validate(back):
                fail(report, "encoded back to an invalid document", pointer, value,
                     f"the validator: {validate.why(back)}; the models: {detail}")
            else:
                where = difference(value, back, converted)
                if where:
                    fail(report, "encoded back differently", pointer, value, f"at {where}: {detail}")
        else:
            report["invalid"] += 1
            reason = kind == "ok" and next((why for why, judge in lenient if judge(value)), None)
            if reason:
                report["lenient"][reason] = report["lenient"].get(reason, 0) + 1
            elif kind == "ok":
                fail(report, "invalid instance accepted", pointer, value,
                     f"the validator: {validate.why(value)}; the models: {detail}")
            elif kind not in ("decode", "invalid"):
                fail(report, f"invalid instance: {kind}", pointer, value, detail)
    json.dump(report, sys.stdout)
    print()


def skip(report, why):
    report["skipped"][why] = report["skipped"].get(why, 0) + 1


def fail(report, kind, pointer, value, detail):
    report["failures"].append({"class": kind, "pointer": pointer,
                               "instance": value, "answer": detail[:400]})


def draw(schema, count, seed_value):
    """Up to `count` instances of `schema`, the same ones for the same seed,
    and whether drawing was cut short: hypothesis-jsonschema canonicalises
    the whole expanded schema at each draw, which for large specs whose
    schemas inline hundreds of others takes minutes (Mastodon), so a schema
    gets DRAW_SECONDS and keeps what was drawn by then."""
    try:
        strategy = from_schema(schema)
    except (HypothesisException, Exception):  # noqa: BLE001 - any refusal is "cannot draw"
        return [], False
    out = []
    timed_out = False

    def stop(signum, frame):
        raise DrawTimeout()

    @seed(seed_value)
    @settings(max_examples=count, database=None, deadline=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value):
        out.append(value)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, DRAW_SECONDS)
    try:
        collect()
    except DrawTimeout:
        timed_out = True
    except (HypothesisException, Exception):  # noqa: BLE001
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return out, timed_out


class DrawTimeout(BaseException):
    """Drawing took longer than DRAW_SECONDS (a BaseException, so that
    hypothesis does not take it for a failure of the test it runs)."""


def mutate(value, rng):
    """`value` with one node replaced by an odd value, or one member gone."""
    value = copy.deepcopy(value)
    nodes = []

    def walk(node, parent, key):
        nodes.append((parent, key))
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, node, k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, node, i)

    walk(value, None, None)
    parent, key = rng.choice(nodes)
    if isinstance(parent, dict) and rng.random() < 0.3:
        del parent[key]
        return value
    odd = copy.deepcopy(rng.choice(ODD_VALUES))
    if parent is None:
        return odd
    parent[key] = odd
    return value


def run_harness(harness, cases):
    lines = "".join(f"{pointer}\t{json.dumps(value)}\n" for pointer, value, *_ in cases)
    done = subprocess.run([harness], input=lines, capture_output=True, text=True, check=False)
    # Only "\n" ends an answer: JSON text may hold U+2028 and the like.
    answers = done.stdout.split("\n")[:-1]
    if done.returncode != 0 or len(answers) != len(cases):
        sys.exit(f"the harness failed ({done.returncode}, {len(answers)} of {len(cases)} answers): "
                 f"{done.stderr[-2000:]}")
    return answers


def difference(given_value, back, schema, path=""):
    """Where `back` differs from what the models may write for `given_value`
    (None: nowhere). Allowed: numbers compared by value (as `f32` where
    that is all they hold), date-times by instant, members the schema does
    not declare dropped (where it does not declare `additionalProperties`),
    and declared members with a `default` filled in."""
    if isinstance(given_value, bool) or isinstance(back, bool):
        return None if given_value == back else path or "/"
    if isinstance(given_value, (int, float)) and isinstance(back, (int, float)):
        return None if numbers_equal(given_value, back) else path or "/"
    if isinstance(given_value, str) and isinstance(back, str):
        same = given_value == back or instants_equal(given_value, back)
        return None if same else path or "/"
    if isinstance(given_value, list) and isinstance(back, list):
        if len(given_value) != len(back):
            return f"{path}/ (length)"
        items = branch_key(schema, "items")
        for i, (a, b) in enumerate(zip(given_value, back)):
            found = difference(a, b, items, f"{path}/{i}")
            if found:
                return found
        return None
    if isinstance(given_value, dict) and isinstance(back, dict):
        declared = declared_properties(schema)
        open_map = any(b.get("additionalProperties") not in (None, False)
                       for b in branches(schema))
        for key, value in given_value.items():
            here = f"{path}/{key}"
            if key in back:
                found = difference(value, back[key], declared.get(key) or additional(schema), here)
                if found:
                    return found
            elif key in declared or open_map or not schema:
                return f"{here} (dropped)"
        for key, value in back.items():
            if key not in given_value:
                default = next((b["default"] for b in branches(declared.get(key))
                                if "default" in b), Missing)
                if default is Missing or difference(default, value, declared.get(key)):
                    return f"{path}/{key} (added)"
        return None
    return None if given_value == back else path or "/"


class Missing:
    pass


def branches(schema):
    """`schema` and the schemas of its allOf/anyOf/oneOf, transitively."""
    if not isinstance(schema, dict):
        return []
    out = [schema]
    for keyword in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(keyword, []):
            out.extend(branches(part))
    return out


def declared_properties(schema):
    out = {}
    for b in branches(schema):
        for name, sub in (b.get("properties") or {}).items():
            out.setdefault(name, sub)
    return out


def branch_key(schema, key):
    for b in branches(schema):
        if isinstance(b.get(key), dict):
            return b[key]
    return None


def additional(schema):
    value = branch_key(schema, "additionalProperties")
    return value if isinstance(value, dict) else None


def numbers_equal(a, b):
    if a == b:
        return True
    if any(isinstance(x, float) and not math.isfinite(x) for x in (a, b)):
        return False
    if float(a) == float(b):
        return True
    try:
        return f32(a) == f32(b)
    except OverflowError:
        return False


def f32(x):
    return struct.unpack("f", struct.pack("f", float(x)))[0]


def instants_equal(a, b):
    try:
        x = datetime.datetime.fromisoformat(a.replace("Z", "+00:00"))
        y = datetime.datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return False
    if (x.tzinfo is None) != (y.tzinfo is None):
        return False
    return x == y


if __name__ == "__main__":
    main()
