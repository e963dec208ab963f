"""Judges the answers a generated client could not decode (`cargo xtask
conform`, the client against Prism): is the body valid against the schema
the spec declares for the operation, status and media type, by
openapi-schema-validator with the spec's dialect? A mock that answers
outside the schema (Prism builds bodies from the spec's `example`s, which
real specs get wrong, and cuts recursive schemas short) says nothing of the
client.

Reads JSON lines `{"call": "GET /pets/{id}", "status": 200, "content_type":
"application/json", "body": "..."}` on stdin; writes one line each:
`{"verdict": "valid" | "invalid" | "not judged", "why": "..."}`."""

import json
import os
import sys
import urllib.parse
import warnings

from dialect import Document, resolve, validator_for


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def media_key(content, content_type):
    """The `content` key that a response's Content-Type answers to."""
    essence = (content_type or "").split(";")[0].strip().lower()
    if essence in content:
        return essence
    for key in content:
        kind, _, sub = key.lower().partition("/")
        if sub == "*" and essence.startswith(kind + "/") or key == "*/*":
            return key
    return None


def follow(document, uri, pointer):
    """(uri, pointer, node) of what `pointer` in `uri` names, through any
    `$ref` there (to this file or another), or None."""
    for _ in range(32):
        try:
            node = resolve(document.file(uri), pointer)
        except (OSError, KeyError, IndexError, TypeError, ValueError):
            return None
        reference = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(reference, str):
            return uri, pointer, node
        file, _, inner = reference.partition("#")
        if file:
            here = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
            uri = document.uri(os.path.join(os.path.dirname(here), file))
        pointer = "#" + inner
    return None


def response_schema(document, call, status, content_type):
    """(uri, pointer) of the response schema, or the reason there is none."""
    method, _, path = call.partition(" ")
    found = follow(document, document.uri(document.path), f"#/paths/{escape(path)}")
    if found is None:
        return None, "no such path"
    uri, pointer, item = found
    # An operation may be a reference too (split specs do that).
    found = follow(document, uri, f"{pointer}/{method.lower()}")
    if found is None or not isinstance(found[2], dict):
        return None, "no such operation"
    uri, pointer, operation = found
    responses = operation.get("responses", {})
    code = str(status)
    key = next((k for k in (code, code[0] + "XX", code[0] + "xx", "default") if k in responses), None)
    if key is None:
        return None, "no declared response"
    found = follow(document, uri, f"{pointer}/responses/{escape(key)}")
    if found is None or not isinstance(found[2], dict):
        return None, "the response cannot be read"
    uri, pointer, response = found
    if document.dialect == "2.0":
        return ((uri, pointer + "/schema"), None) if "schema" in response else (None, "no schema")
    content = response.get("content", {})
    media = media_key(content, content_type)
    if media is None or not isinstance(content[media], dict) or "schema" not in content[media]:
        return None, "no schema for the media type"
    return (uri, f"{pointer}/content/{escape(media)}/schema"), None


def main():
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(20000)
    document = Document(sys.argv[1])
    for line in sys.stdin:
        answer = json.loads(line)
        where, why = response_schema(document, answer["call"], answer["status"],
                                      answer.get("content_type"))
        if where is None:
            verdict = {"verdict": "not judged", "why": why}
        else:
            try:
                body = json.loads(answer.get("body") or "")
                judge = validator_for(document, where)
                valid = judge(body)
                verdict = {"verdict": "valid" if valid else "invalid",
                           "why": "" if valid else judge.why(body)}
            except ValueError:
                verdict = {"verdict": "invalid", "why": "the body is not JSON"}
        print(json.dumps(verdict), flush=True)


if __name__ == "__main__":
    main()
