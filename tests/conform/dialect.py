"""A spec as published (Swagger 2.0, OpenAPI 3.0 or 3.1, one file or many),
its schemas found by JSON pointer, judged by openapi-schema-validator, and
expanded into plain JSON Schema for hypothesis-jsonschema to draw from."""

import base64
import binascii
import copy
import json
import math
import os
import struct
import urllib.parse

import regress
import yaml
from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from openapi_schema_validator import (OAS30Validator, OAS31Validator, oas30_format_checker,
                                      oas31_format_checker)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from expand import Expander, resolve


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)
    return yaml.load(text, Loader=NoDates)


class NoDates(yaml.SafeLoader):
    """YAML 1.1 reads `2024-01-01` as a date; a JSON document has strings."""


NoDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Document:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.root = read(self.path)
        self.files = {self.uri(self.path): self.root}
        # Each file as the validator reads it (`readings`), by (uri, oneOf as anyOf).
        self.judged_files = {}
        version = str(self.root.get("openapi") or self.root.get("swagger") or "")
        self.dialect = "3.1" if version.startswith("3.1") else (
            "2.0" if version.startswith("2") else "3.0")
        if self.dialect == "2.0":
            self.root = swagger_schemas(self.root)
            self.files[self.uri(self.path)] = self.root

    @staticmethod
    def uri(path):
        return "file://" + urllib.parse.quote(os.path.abspath(path))

    def file(self, uri):
        """The document at `uri` (a file beside the spec), read once."""
        if uri not in self.files:
            path = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
            contents = read(path)
            self.files[uri] = swagger_schemas(contents) if self.dialect == "2.0" else contents
        return self.files[uri]

    def judged(self, uri, one_of_as_any_of=False):
        """The document at `uri` as the validator reads it (see `readings`)."""
        key = (uri, one_of_as_any_of)
        if key not in self.judged_files:
            self.judged_files[key] = readings(self.file(uri), self.dialect, one_of_as_any_of)
        return self.judged_files[key]

    def locate(self, pointer, source):
        """(uri, pointer) and the schema there, for a pointer into the
        bundled document and, for a schema of another file, where it is
        written; None where the published files do not hold it."""
        candidates = []
        if source:
            file, _, inner = source.partition("#")
            path = os.path.join(os.path.dirname(self.path), file)
            candidates.append((self.uri(path), "#" + inner))
        if self.dialect == "2.0" and pointer.startswith("#/components/schemas/"):
            pointer = "#/definitions/" + pointer[len("#/components/schemas/"):]
        candidates.append((self.uri(self.path), pointer))
        for uri, inner in candidates:
            try:
                node = resolve(self.file(uri), inner)
            except OSError:
                node = None
            if isinstance(node, (dict, bool)):
                return (uri, inner), node
        return None

    def examples(self, schema):
        """The spec's own examples of a schema (3.0 `example`, 3.1 `examples`)."""
        if not isinstance(schema, dict):
            return []
        out = [schema["example"]] if "example" in schema else []
        if isinstance(schema.get("examples"), list):
            out += schema["examples"]
        return out

    def convert(self, schema, where):
        return Expander(self).expand(schema, where)

    def closure_degraded(self, schema, where, degraded):
        """Whether a degraded place lies in `schema` or any schema it refers to."""
        if not degraded:
            return False
        reached = Expander(self).reached(schema, where)
        return any(d == p or d.startswith(p + "/") for d in degraded for p in reached)


def swagger_schemas(document):
    """Swagger 2.0's schema objects in the OpenAPI 3.0 dialect the validator
    knows: `x-nullable` is `nullable`; `type: file` is a string."""
    def walk(node):
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            # go-swagger spells it `x-isnullable`.
            if out.pop("x-nullable", False) is True or out.pop("x-isnullable", False) is True:
                out["nullable"] = True
            if out.get("type") == "file":
                out["type"] = "string"
            if isinstance(out.get("discriminator"), str):
                out["discriminator"] = {"propertyName": out["discriminator"]}
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node
    return walk(document)


def readings(contents, dialect, one_of_as_any_of):
    """A document as the validator judges it, where OpenAPI leaves a choice
    that the generator makes (tests/CONFORMANCE.md):
    - 3.0: `nullable: true` admits null whatever else the schema says
      (3.0.0's reading; 3.0.3 limits it to schemas with a `type` and an
      `enum` listing null);
    - 3.1: `$recursiveRef: "#"` and `$dynamicRef: "#name"` refer to the
      component that holds them and to the schema with that
      `$dynamicAnchor`, as when nothing overrides them dynamically;
    - a schema with `properties` and no `type` is an object (as every
      generator reads it: its type is a struct);
    - a discriminator beside inline variants (which have no schema name for
      it to give) is left to the union and the variants' own `enum`s;
    - with `one_of_as_any_of`, every `oneOf` is an `anyOf`."""
    anchors = {}

    def find_anchors(node, pointer):
        if isinstance(node, dict):
            if isinstance(node.get("$dynamicAnchor"), str):
                anchors.setdefault(node["$dynamicAnchor"], pointer)
                # The component's own anchor first: where the dynamic scope
                # starts when nothing outside binds it.
                component = "/".join(pointer.split("/")[:4])
                anchors.setdefault((component, node["$dynamicAnchor"]), pointer)
            for k, v in node.items():
                find_anchors(v, f"{pointer}/{escape(k)}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                find_anchors(v, f"{pointer}/{i}")

    def walk(node, component):
        if isinstance(node, list):
            return [walk(v, component) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v, component) for k, v in node.items()}
        if "properties" in out and "type" not in out:
            out["type"] = "object"
        if dialect == "3.1":
            if out.get("$recursiveRef") == "#" and component:
                del out["$recursiveRef"]
                out["$ref"] = component
            anchor = out.get("$dynamicRef")
            if isinstance(anchor, str) and anchor.startswith("#"):
                target = anchors.get((component, anchor[1:])) or anchors.get(anchor[1:])
                if target:
                    del out["$dynamicRef"]
                    out["$ref"] = target
        elif out.get("nullable") is True:
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
            if "type" not in out:
                rest = {k: v for k, v in out.items() if k != "nullable"}
                out = {"anyOf": [rest, {"enum": [None]}]}
        variants = out.get("oneOf", []) + out.get("anyOf", [])
        if "discriminator" in out and any(isinstance(v, dict) and "$ref" not in v for v in variants):
            # A discriminator names schemas; inline variants have no name,
            # so their own `enum`s and the union decide.
            del out["discriminator"]
        if one_of_as_any_of and "oneOf" in out:
            out["anyOf" if "anyOf" not in out else "allOf"] = (
                out.pop("oneOf") if "anyOf" not in out else [{"anyOf": out.pop("oneOf")}])
        return out

    find_anchors(contents, "#")
    if not isinstance(contents, dict):
        return contents
    out = dict(contents)
    schemas = (contents.get("components") or {}).get("schemas")
    for key, value in contents.items():
        if key == "components" and isinstance(value, dict) and isinstance(schemas, dict):
            out[key] = dict(value, schemas={
                name: walk(schema, f"#/components/schemas/{escape(name)}")
                for name, schema in schemas.items()})
            out[key] = {k: (v if k == "schemas" else walk(v, None))
                        for k, v in out[key].items()}
        else:
            out[key] = walk(value, None)
    return out


def escape(name):
    return str(name).replace("~", "~0").replace("/", "~1")


def validator_for(document, where, one_of_as_any_of=False, discriminators=True,
                  float_flush=False, one_way_required=False):
    """A function telling whether an instance is valid against the schema at
    `where`, by openapi-schema-validator with the spec's dialect and format
    checks, and the discriminator rule of OpenAPI (a tag names the schema
    the instance must be)."""
    uri, pointer = where
    if document.dialect == "3.1":
        base, spec, checker = OAS31Validator, DRAFT202012, oas31_format_checker
    else:
        base, spec, checker = OAS30Validator, DRAFT4, oas30_format_checker

    def retrieve(target):
        return Resource(contents=document.judged(target, one_of_as_any_of), specification=spec)

    registry = Registry(retrieve=retrieve).with_resource(
        uri, Resource(contents=document.judged(uri, one_of_as_any_of), specification=spec))
    keywords = {"discriminator": discriminator_rule(document) if discriminators else ignored}
    if document.dialect == "3.1":
        keywords["contentEncoding"] = content_encoding
    keywords["pattern"] = ecma_pattern
    if one_way_required:
        keywords["required"] = required_one_way
    cls = validators.extend(base, keywords)
    validator = cls({"$ref": uri + pointer}, registry=registry, format_checker=formats(checker, float_flush))

    return Judge(validator)


def ignored(validator, value, instance, schema):
    return iter(())


_PATTERNS = {}


def ecma_pattern(validator, pattern, instance, schema):
    """`pattern` as JSON Schema says, an ECMA-262 regular expression, by the
    regress engine: Python's `re` reads classes otherwise (its `\\s` takes
    the separators \\x1c to \\x1f, which ECMA-262's does not). A pattern
    regress cannot compile judges nothing."""
    if not validator.is_type(instance, "string"):
        return
    if pattern not in _PATTERNS:
        try:
            _PATTERNS[pattern] = regress.Regex(pattern)
        except regress.RegressError:
            _PATTERNS[pattern] = None
    regex = _PATTERNS[pattern]
    if regex is not None and regex.find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def required_one_way(validator, required, instance, schema):
    """`required` without the `readOnly` and `writeOnly` properties, as
    OpenAPI 3.0 reads it (each is required in one direction only); the 3.0
    validator does so already, the 3.1 one does not."""
    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    for name in required:
        if name in instance:
            continue
        declared = properties.get(name)
        targets = [declared] if isinstance(declared, dict) else []
        if targets and "$ref" in declared:
            try:
                targets.append(validator._resolver.lookup(declared["$ref"]).contents)
            except Exception:  # an unresolvable reference stays required
                pass
        if any(t.get("readOnly") is True or t.get("writeOnly") is True
               for t in targets if isinstance(t, dict)):
            continue
        yield ValidationError(f"{name!r} is a required property")


def formats(checker, float_flush):
    """The dialect's format checks, with `float` held to what 32 bits hold
    (the models read it as `f32`): finite, and unless `float_flush`, not
    flushed to zero."""
    checker = copy.deepcopy(checker)

    @checker.checks("float")
    def is_float(instance):
        if not isinstance(instance, (int, float)) or isinstance(instance, bool):
            return True
        try:
            as_f32 = struct.unpack("f", struct.pack("f", float(instance)))[0]
        except OverflowError:
            return False
        return math.isfinite(as_f32) and (float_flush or as_f32 != 0 or instance == 0)
    return checker


def content_encoding(validator, encoding, instance, schema):
    """3.1's `contentEncoding: base64` as an assertion, as 3.0's `format:
    byte` is: the models decode the bytes."""
    if encoding in ("base64", "base64url") and isinstance(instance, str):
        alphabet = "-_" if encoding == "base64url" else "+/"
        try:
            base64.b64decode(instance, altchars=alphabet.encode(), validate=True)
        except (binascii.Error, ValueError):
            yield ValidationError(f"{instance!r} is not {encoding}")


class Judge:
    """Whether an instance is valid, and if not, why."""

    def __init__(self, validator):
        self.validator = validator

    def __call__(self, instance):
        try:
            return self.validator.is_valid(instance)
        except Exception:  # noqa: BLE001 - a schema the validator cannot use judges nothing
            return False

    def why(self, instance):
        try:
            error = best_match(self.validator.iter_errors(instance))
        except Exception as e:  # noqa: BLE001
            return f"the validator failed: {e}"
        if error is None:
            return "valid"
        return f"{error.json_path}: {error.message}"[:300]


def discriminator_rule(document):
    """OpenAPI's discriminator: the tag's value names (by `mapping`, else by
    component name) a schema that the instance must satisfy."""
    components = "#/definitions/" if document.dialect == "2.0" else "#/components/schemas/"
    active = set()

    def rule(validator, discriminator, instance, schema):
        if not isinstance(instance, dict) or not isinstance(discriminator, dict):
            return
        name = discriminator.get("propertyName")
        if not isinstance(instance.get(name), str):
            return
        tag = instance[name]
        target = (discriminator.get("mapping") or {}).get(tag)
        if target is None:
            refs = [p["$ref"] for p in schema.get("oneOf", []) + schema.get("anyOf", [])
                    if isinstance(p, dict) and isinstance(p.get("$ref"), str)]
            named = [r for r in refs if r.rsplit("/", 1)[-1] == tag]
            if refs and not named:
                yield ValidationError(f"{tag!r} names none of the discriminated schemas")
                return
            target = named[0] if named else components + tag
        elif "/" not in target and not target.startswith("#"):
            target = components + target
        if document.dialect == "2.0":
            target = target.replace("#/components/schemas/", components)
        try:
            resolved = validator._resolver.lookup(target).contents
        except Exception:  # noqa: BLE001 - the tag names no schema
            variants = schema.get("oneOf", []) + schema.get("anyOf", [])
            if not any(isinstance(v, dict) and "$ref" not in v for v in variants):
                # Inline variants are told apart by their own `enum` or `const`.
                yield ValidationError(f"{tag!r} names no schema")
            return
        key = (id(instance), target)
        if resolved is schema or key in active:
            return
        active.add(key)
        try:
            yield from validator.descend(instance, {"$ref": target})
        finally:
            active.discard(key)
    return rule
