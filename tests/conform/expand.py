"""An OpenAPI schema expanded into plain JSON Schema (draft 7) with every
`$ref` written out, for hypothesis-jsonschema, which cannot follow
references across files or into recursion. Only instance generation reads
this: the validator judges each instance against the published schema."""

import re
import urllib.parse

# A reference met again this many times inside its own expansion becomes
# unsatisfiable, so that recursive schemas expand to a finite tree.
RECURSION = 2
# Integers without a format are `i64` in the generated models
# (tests/CONFORMANCE.md); instances are drawn within that range.
I64 = (-(2**63), 2**63 - 1)
NEVER = {"not": {}}

# What only OpenAPI knows, or hypothesis-jsonschema cannot use.
DROPPED = {
    "discriminator", "xml", "externalDocs", "example", "examples", "deprecated",
    "readOnly", "writeOnly", "$schema", "$id", "$anchor", "$comment", "$defs", "definitions",
    "$dynamicAnchor", "$recursiveAnchor", "unevaluatedProperties", "unevaluatedItems",
    "contentEncoding", "contentMediaType", "contentSchema", "dependentRequired",
    "dependentSchemas", "title", "description", "collectionFormat", "nullable",
}


def resolve(node, pointer):
    for part in pointer.lstrip("#").split("/")[1:]:
        part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                return None
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


class Expander:
    def __init__(self, document):
        self.document = document
        self.stack = []
        self.seen = set()

    def expand(self, schema, where):
        """`schema`, found at `where` = (uri, pointer), as JSON Schema."""
        uri, _ = where
        return self._schema(schema, uri, 0)

    def reached(self, schema, where):
        """The pointers of `schema` and of every schema it refers to."""
        uri, pointer = where
        self.seen = {pointer}
        self._walk_refs(schema, uri)
        return self.seen

    def _walk_refs(self, node, uri):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = self._target(ref, uri)
                if target is not None and target[1] not in self.seen:
                    self.seen.add(target[1])
                    self._walk_refs(target[2], target[0])
            for key, value in node.items():
                if key not in ("example", "examples", "enum", "const", "default"):
                    self._walk_refs(value, uri)
        elif isinstance(node, list):
            for value in node:
                self._walk_refs(value, uri)

    def _target(self, ref, uri):
        """(uri, pointer, schema) a `$ref` written in the file at `uri` names."""
        file, _, pointer = ref.partition("#")
        if file:
            base = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
            path = urllib.parse.urljoin(base, file)
            uri = self.document.uri(path)
        pointer = "#" + pointer
        if self.document.dialect == "2.0":
            pointer = pointer.replace("#/components/schemas/", "#/definitions/")
        try:
            node = resolve(self.document.file(uri), pointer)
        except OSError:
            return None
        return None if node is None else (uri, pointer, node)

    def _schema(self, node, uri, depth):
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            return {}
        if depth > 64:
            return NEVER
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._target(ref, uri)
            if target is None:
                return {}
            key = (target[0], target[1])
            if self.stack.count(key) >= RECURSION:
                return NEVER
            self.stack.append(key)
            try:
                inner = self._schema(target[2], target[0], depth + 1)
            finally:
                self.stack.pop()
            rest = {k: v for k, v in node.items() if k != "$ref"}
            if self.document.dialect != "3.1" or not self._keywords(rest):
                return inner
            return {"allOf": [inner, self._schema(rest, uri, depth + 1)]}
        out = {}
        for key, value in node.items():
            if key in DROPPED or key.startswith("x-"):
                continue
            if key in ("properties", "patternProperties"):
                out[key] = {k: self._schema(v, uri, depth + 1) for k, v in value.items()}
            elif key in ("items", "additionalProperties", "additionalItems", "not", "contains",
                         "propertyNames", "if", "then", "else"):
                if isinstance(value, list):
                    out[key] = [self._schema(v, uri, depth + 1) for v in value]
                else:
                    out[key] = self._schema(value, uri, depth + 1)
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self._schema(v, uri, depth + 1) for v in value]
            elif key == "prefixItems":
                out["items"] = [self._schema(v, uri, depth + 1) for v in value]
                if "items" in node:
                    out["additionalItems"] = self._schema(node["items"], uri, depth + 1)
            elif key == "pattern":
                if python_regex(value):
                    out[key] = value
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                bound = "minimum" if key == "exclusiveMinimum" else "maximum"
                if value and bound in node:
                    out[key] = node[bound]
            else:
                out[key] = value
        for bound in ("minimum", "maximum"):
            exclusive = node.get("exclusive" + bound[0].upper() + bound[1:])
            if exclusive is True and bound in out:
                del out[bound]
        if out.get("type") == "file":
            out["type"] = "string"
        if out.get("type") == "integer" or (
                isinstance(out.get("type"), list) and "integer" in out["type"]):
            out.setdefault("minimum", I64[0])
            out.setdefault("maximum", I64[1])
        discriminated = self._discriminated(node, out, uri, depth)
        if discriminated is not None:
            out = discriminated
        if node.get("nullable") is True or node.get("x-nullable") is True:
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def _discriminated(self, node, out, uri, depth):
        """A `oneOf`/`anyOf` of references with a discriminator, each branch
        drawn with its tag set, so that instances satisfy the rule."""
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, dict):
            return None
        name = discriminator.get("propertyName")
        keyword = "oneOf" if "oneOf" in node else ("anyOf" if "anyOf" in node else None)
        if keyword is None or not isinstance(name, str):
            return None
        tags = {}
        for tag, target in (discriminator.get("mapping") or {}).items():
            tags.setdefault(target.rsplit("/", 1)[-1], tag)
        branches = []
        for raw, expanded in zip(node[keyword], out[keyword]):
            ref = raw.get("$ref") if isinstance(raw, dict) else None
            if not isinstance(ref, str):
                branches.append(expanded)
                continue
            component = ref.rsplit("/", 1)[-1]
            tag = tags.get(component, component)
            branches.append({"allOf": [expanded, {
                "type": "object", "required": [name],
                "properties": {name: {"const": tag}}}]})
        return dict(out, **{keyword: branches})

    @staticmethod
    def _keywords(rest):
        return any(k not in DROPPED and not k.startswith("x-") for k in rest)


def python_regex(pattern):
    """Whether Python's `re` reads an ECMA-262 pattern the same way; where
    not, instances are drawn without it and the validator filters them."""
    if not isinstance(pattern, str) or re.search(r"\\[pPu]|\(\?<[^=!]", pattern):
        return False
    try:
        re.compile(pattern)
        return True
    except re.error:
        return False
