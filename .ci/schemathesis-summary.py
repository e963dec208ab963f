"""Per-operation figures from schemathesis NDJSON reports: test cases sent
and the statuses they got, so a reader sees which success paths were
reached. Usage: schemathesis-summary.py REPORT.ndjson..."""
import collections
import json
import sys

cases = collections.defaultdict(int)
statuses = collections.defaultdict(collections.Counter)
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line).get("ScenarioFinished")
            if not event:
                continue
            recorder = event["recorder"]
            label = recorder["label"]
            cases[label] += len(recorder.get("cases", {}))
            for interaction in recorder.get("interactions", {}).values():
                response = interaction.get("response") or {}
                status = response.get("status_code", "none")
                statuses[label][status] += 1

for label in sorted(cases):
    seen = ", ".join(f"{s}×{n}" for s, n in sorted(statuses[label].items(), key=lambda x: str(x[0])))
    print(f"  {label}: {cases[label]} cases; {seen}")
