"""What changed between two versions of a model, as Markdown fit for a changelog."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .apidata import build_api_data
from .naming import service_function

_CONSTRAINTS = ("min", "max", "pattern")


@dataclass
class ModelDiff:
    """Differences between an old and a new API data value."""

    added_operations: list[str] = field(default_factory=list)
    removed_operations: list[str] = field(default_factory=list)
    added_shapes: list[str] = field(default_factory=list)
    removed_shapes: list[str] = field(default_factory=list)
    # shape name -> list of change lines
    shape_changes: dict[str, list[str]] = field(default_factory=dict)

    def empty(self) -> bool:
        """True when nothing that the generated code depends on changed."""
        return not (
            self.added_operations
            or self.removed_operations
            or self.added_shapes
            or self.removed_shapes
            or self.shape_changes
        )


def diff_models(old: dict[str, Any], new: dict[str, Any]) -> ModelDiff:
    """Compare two parsed service-2.json models."""
    a = build_api_data(old)
    b = build_api_data(new)
    out = ModelDiff()
    out.added_operations = [n for n in b["operations"] if n not in a["operations"]]
    out.removed_operations = [n for n in a["operations"] if n not in b["operations"]]
    out.added_shapes = [n for n in b["shapes"] if n not in a["shapes"]]
    out.removed_shapes = [n for n in a["shapes"] if n not in b["shapes"]]
    inputs = {op["input"] for op in b["operations"].values() if "input" in op}
    for name, new_shape in b["shapes"].items():
        old_shape = a["shapes"].get(name)
        if old_shape is None:
            continue
        changes = _shape_changes(old_shape, new_shape, name in inputs)
        if changes:
            out.shape_changes[name] = changes
    return out


def _shape_changes(old: dict[str, Any], new: dict[str, Any], is_input: bool) -> list[str]:
    if old["type"] != new["type"]:
        return [f"type changed: {old['type']} -> {new['type']}"]
    lines: list[str] = []
    old_members, new_members = old.get("members", {}), new.get("members", {})
    old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
    for m, ref in new_members.items():
        if m not in old_members:
            req = " (required)" if m in new_req else ""
            lines.append(f"added member `{m}`: {_ref_text(ref)}{req}")
    for m in old_members:
        if m not in new_members:
            lines.append(f"removed member `{m}`")
    new_order = list(new_members)
    for n, m in enumerate(new_order):
        later_old = [x for x in new_order[n + 1 :] if x in old_members]
        if m not in old_members and later_old:
            line = f"member `{m}` inserted before `{later_old[0]}`"
            if is_input:
                # The argument-order lock (codegen/argorder.py) appends the new argument.
                line += " in model order; its argument follows the existing ones (positional calls unchanged)"
            lines.append(line)
    for m, ref in new_members.items():
        before = old_members.get(m)
        if before is not None and before != ref:
            lines.append(f"changed member `{m}`: {_ref_text(before)} -> {_ref_text(ref)}")
        if before is not None and (m in old_req) != (m in new_req):
            now = "required" if m in new_req else "optional"
            lines.append(f"member `{m}` is now {now}")
    added = [v for v in new.get("enum", []) if v not in old.get("enum", [])]
    removed = [v for v in old.get("enum", []) if v not in new.get("enum", [])]
    if added:
        lines.append("enum values added: " + ", ".join(f"`{v}`" for v in added))
    if removed:
        lines.append("enum values removed: " + ", ".join(f"`{v}`" for v in removed))
    for key in _CONSTRAINTS:
        if old.get(key) != new.get(key):
            lines.append(f"{key}: {_show(old.get(key))} -> {_show(new.get(key))}")
    for key in ("member", "key", "value"):
        if key in old and old[key] != new.get(key):
            lines.append(f"{key} changed: {_ref_text(old[key])} -> {_ref_text(new.get(key, {}))}")
    return lines


def _ref_text(ref: dict[str, Any]) -> str:
    text = f"`{ref.get('shape')}`"
    if "location" in ref:
        text += f" in {ref['location']}"
        if "location_name" in ref:
            text += f" `{ref['location_name']}`"
    return text


def _show(value: Any) -> str:
    return "none" if value is None else f"`{value}`"


def to_markdown(diff: ModelDiff, title: str, prefix: str) -> str:
    """Render ``diff`` as a Markdown changelog section headed ``title``."""
    lines = [f"## {title}", ""]
    if diff.empty():
        return "\n".join([*lines, "No changes to the model's operations or shapes.", ""])
    if diff.added_operations:
        lines += [f"### Added operations ({len(diff.added_operations)})", ""]
        lines += [f"- `{op}` (`{service_function(prefix, op)}`)" for op in diff.added_operations]
        lines.append("")
    if diff.removed_operations:
        lines += [f"### Removed operations ({len(diff.removed_operations)})", ""]
        lines += [f"- `{op}`" for op in diff.removed_operations]
        lines.append("")
    if diff.shape_changes:
        lines += ["### Changed shapes", ""]
        for name, changes in diff.shape_changes.items():
            lines.append(f"- `{name}`")
            lines += [f"  - {c}" for c in changes]
        lines.append("")
    if diff.added_shapes:
        lines += [f"### Added shapes ({len(diff.added_shapes)})", ""]
        lines.append(", ".join(f"`{s}`" for s in diff.added_shapes))
        lines.append("")
    if diff.removed_shapes:
        lines += [f"### Removed shapes ({len(diff.removed_shapes)})", ""]
        lines.append(", ".join(f"`{s}`" for s in diff.removed_shapes))
        lines.append("")
    return "\n".join(lines)
