"""`oitwatch rules …`: list, show, validate and test the rule catalogs.

A thin typer shell over ``rules`` (the same functions pytest and the scanner call).
Wire it into the main command with ``app.add_typer(rules_app, name="rules")``.
Failures reach the user as one bilingual message and exit code 1 (2 for bad usage).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

__all__ = ["rules_app"]

from ._cli_common import err, fail, out

rules_app = typer.Typer(help="กฎการตรวจ / rule files", no_args_is_help=True)



def _load(catalog: str):  # type: ignore[no-untyped-def]
    from rules import RuleError, load_catalog

    try:
        return load_catalog(catalog)
    except RuleError as exc:
        for problem in exc.all_errors[1:]:
            err.print(Text(f"✗ {problem}", style="red"))
        fail(f"โหลดกฎการตรวจไม่ได้: {exc}", f"cannot load the rules: {exc}")


CatalogArg = Annotated[
    str, typer.Argument(help="catalog id (see `oitwatch rules list`) or a catalog folder")
]


@rules_app.command("list")
def rules_list() -> None:
    """แสดงชุดกฎ (catalog) ที่มี / list the catalogs."""
    from rules import default_catalog, list_catalogs

    default = default_catalog()
    table = Table(
        "catalog",
        "ปีงบประมาณ / fiscal year",
        "สถานะ / status",
        "ต่อยอดจาก / extends",
        "ข้อที่ตรวจ / items judged",
    )
    for catalog_id in list_catalogs():
        cat = _load(catalog_id)
        judged = sum(1 for i in cat.items if i.implemented)
        unknown = [i.code for i in cat.items if i.unknown]
        status = "ชั่วคราว / provisional" if cat.provisional else "ครบ / complete"
        items = f"{judged} / {len(cat.items)}"
        if unknown:
            items += f"  (ไม่ทราบ / unknown: {' '.join(unknown)})"
        name = cat.id + ("  ← ค่าเริ่มต้น / default" if cat.id == default else "")
        table.add_row(name, str(cat.fiscal_year), status, cat.extends or "-", items)
    out.print(table)


def _item_line(item) -> Text:  # type: ignore[no-untyped-def]
    line = Text(f"{item.code} ", style="bold")
    line.append(item.title_th)
    line.append(f" / {item.title_en}", style="dim")
    if item.unknown:
        line.append("  [ไม่ทราบ / unknown: not judged]", style="magenta")
    elif not item.implemented:
        line.append("  [ยังไม่มีกฎ / no rule yet]", style="magenta")
    elif item.same_as:
        line.append(f"  [= {item.same_as}: {item.file.parent.name}/{item.file.name}]", style="cyan")
    elif item.file is not None:
        line.append(f"  [{item.file.parent.name}/{item.file.name}]", style="dim")
    if item.note:
        line.append(f"  ({item.note})", style="yellow")
    return line


def _show_catalog(cat) -> None:  # type: ignore[no-untyped-def]
    head = Text(f"{cat.id} — {cat.title_th}\n", style="bold")
    head.append(f"{cat.title_en}\n", style="dim")
    head.append(f"fiscal year {cat.fiscal_year} · {cat.status}")
    if cat.extends:
        head.append(f" · extends {cat.extends}")
    if cat.source:
        head.append(f"\nsource: {cat.source}", style="dim")
    if cat.note:
        head.append(f"\nnote: {cat.note}", style="yellow")
    if cat.grades:
        bands = ", ".join(f"{g.th} ≥ {g.min:g}" for g in cat.grades)
        head.append(f"\ngrades: {bands}", style="dim")
    out.print(head)
    tree = Tree("OIT")
    for ind in cat.structure:
        branch = tree.add(Text(f"{ind.code} {ind.title_th} / {ind.title_en}", style="bold"))
        for sub in ind.sub_indicators:
            leaf = branch.add(Text(f"{sub.code} {sub.title_th} / {sub.title_en}"))
            for code in sub.items:
                leaf.add(_item_line(cat.item(code)))
    out.print(tree)


def _show_item(cat, code: str) -> None:  # type: ignore[no-untyped-def]
    from rules._fixtures import fixture_files

    try:
        item = cat.item(code)
    except KeyError:
        fail(f"ไม่มีข้อ {code} ใน {cat.id}", f"no item {code} in {cat.id}", 2)
    out.print(_item_line(item))
    if not item.implemented:
        return
    text = Text()
    text.append("ข้อกำหนด: ", style="bold")
    text.append(item.requirement_th + "\n")
    text.append("requirement: ", style="bold")
    text.append(item.requirement_en + "\n")
    text.append(f"source: {item.source}\n", style="dim")
    text.append(f"file: {item.file}\n", style="dim")
    for part in (item, *item.also):
        if part is not item:
            text.append(f"\nalso: {part.title_th} / {part.title_en}\n", style="bold")
        kws = [k.raw for k in part.find.keywords.keywords]
        if kws:
            text.append("find keywords: ", style="bold")
            text.append(", ".join(kws) + "\n")
        for label, pats in (("find url", part.find.url), ("find external", part.find.external)):
            if pats:
                text.append(f"{label}: ", style="bold")
                text.append(", ".join(p.pattern for p in pats.patterns) + "\n")
        for ex in part.exclusions:
            words = [k.raw for k in ex.keywords.keywords] + [p.pattern for p in ex.url.patterns]
            text.append("not: ", style="bold")
            text.append(", ".join(words[:8]) + (" …" if len(words) > 8 else ""))
            text.append(f" — {ex.reason.th}\n", style="dim")
        for req in part.requirements:
            text.append(f"require {req.name}", style="bold")
            text.append(f" ({req.if_missing}): {req.reason.th} / {req.reason.en}\n")
    files = fixture_files(item)
    text.append(f"\nexample sites: {len(files)}", style="bold")
    for f in files:
        text.append(f"\n  {f.parent.name}/{f.name}", style="dim")
    out.print(text)


@rules_app.command("show")
def rules_show(
    catalog: CatalogArg,
    item: Annotated[
        Optional[str], typer.Argument(help="an item code, e.g. O18 (default: the whole catalog)")
    ] = None,
) -> None:
    """แสดงชุดกฎหรือกฎของข้อหนึ่ง / Show a catalog's structure, or one item's rule."""
    cat = _load(catalog)
    if item is None:
        _show_catalog(cat)
    else:
        _show_item(cat, item.upper())


@rules_app.command("validate")
def rules_validate(
    path: Annotated[
        Optional[Path], typer.Argument(help="a catalog folder (default: every bundled catalog)")
    ] = None,
) -> None:
    """ตรวจความถูกต้องของไฟล์กฎ / Validate rule files; exit 1 when any is broken."""
    from rules import catalog_dir, list_catalogs, validate_catalog_dir

    folders = [path] if path is not None else [catalog_dir(c) for c in list_catalogs()]
    problems = 0
    for folder in folders:
        errors = validate_catalog_dir(folder)
        problems += len(errors)
        for error in errors:
            err.print(Text(f"✗ {error}", style="red"))
        if not errors:
            out.print(Text(f"✓ {folder}: ถูกต้อง / valid", style="green"))
    if problems:
        fail(f"พบปัญหา {problems} รายการ", f"{problems} problem(s) found")


@rules_app.command("test")
def rules_test(
    catalog: Annotated[
        Optional[str],
        typer.Argument(help="catalog id or folder (default: every bundled catalog)"),
    ] = None,
    item: Annotated[
        Optional[list[str]], typer.Option("--item", "-i", help="only this item (repeatable)")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="list every example")] = False,
) -> None:
    """ทดสอบกฎกับเว็บไซต์ตัวอย่าง / Run the example sites of a catalog's rule files.

    Each rule file has example sites in <catalog>/fixtures/<item>/ (pass_*.html,
    partial_*.html, fail_*.html); a catalog that extends another one runs the parent's
    examples with its own years. Exit 1 when any example does not give its expected result."""
    from rules import list_catalogs
    from rules._fixtures import run_fixtures

    ids = [catalog] if catalog is not None else list_catalogs()
    total = failed = 0
    for cid in ids:
        cat = _load(cid)
        runs = run_fixtures(cat, item)
        bad = [r for r in runs if not r.ok]
        total += len(runs)
        failed += len(bad)
        style = "red" if bad else "green"
        out.print(
            Text(
                f"{'✗' if bad else '✓'} {cat.id}: {len(runs) - len(bad)}/{len(runs)} "
                "ตัวอย่างให้ผลตามที่คาด / examples as expected",
                style=style,
            )
        )
        no_examples = [
            i.code
            for i in cat.items
            if i.implemented and (not item or i.code in {c.upper() for c in item})
            and not any(r.code == i.code for r in runs)
        ]
        if no_examples:
            out.print(
                Text(f"  ไม่มีตัวอย่าง / no examples: {' '.join(no_examples)}", style="yellow")
            )
        for r in runs:
            if r.ok and not verbose:
                continue
            mark = "✓" if r.ok else "✗"
            out.print(Text(f"  {mark} {r.code} {r.path.name}", style="green" if r.ok else "red"))
            for problem in r.problems:
                out.print(Text(f"      {problem}", style="red"))
            if not r.ok and r.result is not None:
                out.print(Text("      " + r.explain().replace("\n", "\n      "), style="dim"))
    if total == 0:
        fail("ไม่พบเว็บไซต์ตัวอย่าง", "no example sites found", 1)
    if failed:
        fail(f"ตัวอย่างไม่ผ่าน {failed} จาก {total}", f"{failed} of {total} examples failed")
