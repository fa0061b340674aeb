"""Two versions of a document compared: blocks aligned, moved paragraphs found, words diffed.

The blocks of both versions are aligned with ``difflib.SequenceMatcher`` on their text. Where
the versions differ, a block whose text reappears elsewhere is a move (shown once, where it is
now, and a note where it was); the others are paired with the most similar block nearby (a
changed paragraph, a changed table row) or are inserted or deleted whole. Paired blocks are
compared word by word; short runs of common words between two changes ("of the") are folded
into the change, as a reader would mark it. Table rows are compared cell by cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from form8k.review.blocks import Block, Node, Token, Unit

#: How alike two blocks must be (SequenceMatcher's ratio on their words) to be one block
#: changed rather than one deleted and another inserted.
PAIR_RATIO = 0.5
#: How alike a deleted and an inserted block elsewhere must be to be one block moved.
MOVE_RATIO = 0.75
#: The fewest words a block must have to be found moved (a short line that reappears, such as
#: "Item 9.01", is more likely two different lines).
MOVE_WORDS = 4
#: How far ahead a deleted block looks for its changed version among inserted ones.
LOOKAHEAD = 40
#: Short words that do not keep two changes apart.
SMALL_WORDS = frozenset(
    "a an and as at by for from in is of on or that the to with its it be are was".split()
)


@dataclass
class Op:
    """One token of the result: kept ("eq"), inserted ("ins") or deleted ("del")."""

    kind: str
    token: Token


@dataclass
class CellDiff:
    node: Node
    ops: list[Op]

    @property
    def changed(self) -> bool:
        return any(op.kind != "eq" for op in self.ops)


@dataclass
class Entry:
    """A block of the blackline: the same, changed, inserted, deleted, moved (here, from
    elsewhere) or moved away (a note where a moved block was)."""

    status: str
    old: Block | None = None
    new: Block | None = None
    ops: list[Op] = field(default_factory=list)
    cells: list[CellDiff] = field(default_factory=list)
    restyled: bool = False
    """The same text in another look (a style, an element)."""
    number: int = 0
    """The change's number in the document's blackline (0: no change)."""
    partner: Entry | None = None
    """For a move: the entry at the other end."""

    @property
    def block(self) -> Block:
        block = self.new if self.new is not None else self.old
        assert block is not None
        return block

    @property
    def kind(self) -> str:
        return self.block.kind

    @property
    def all_ops(self) -> list[Op]:
        return [op for cell in self.cells for op in cell.ops] if self.cells else self.ops

    @property
    def changed(self) -> bool:
        return self.status != "same" or self.restyled

    def count(self, kind: str) -> int:
        """Words inserted ("ins") or deleted ("del") here."""
        if self.status == "moved-away":
            return 0
        return sum(1 for op in self.all_ops if op.kind == kind and op.token.is_word)

    @property
    def cells_changed(self) -> int:
        return sum(1 for cell in self.cells if cell.changed) if self.status == "changed" else 0


def diff_units(old: Unit | None, new: Unit | None) -> list[Op]:
    """Word-level comparison of two texts; either may be missing (all inserted or deleted)."""
    a = old.tokens if old is not None else []
    b = new.tokens if new is not None else []
    matcher = SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in _cleaned(matcher.get_opcodes(), a):
        if tag == "equal":
            ops += [Op("eq", token) for token in b[j1:j2]]
        else:
            ops += [Op("del", token) for token in a[i1:i2]]
            ops += [Op("ins", token) for token in b[j1:j2]]
    return ops


def _cleaned(
    opcodes: Sequence[tuple[str, int, int, int, int]], a: Sequence[Token]
) -> list[tuple[str, int, int, int, int]]:
    """Fold a short run of small common words between two changes into one change."""
    ops: list[tuple[str, int, int, int, int]] = list(opcodes)
    merged = True
    while merged:
        merged = False
        for k in range(1, len(ops) - 1):
            tag, i1, i2, _, _ = ops[k]
            if tag != "equal" or ops[k - 1][0] == "equal" or ops[k + 1][0] == "equal":
                continue
            if _small(a[i1:i2]):
                before, after = ops[k - 1], ops[k + 1]
                ops[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
                merged = True
                break
    return ops


def _small(tokens: Sequence[Token]) -> bool:
    return len(tokens) <= 2 and all(
        not token.is_word or token.text.lower() in SMALL_WORDS or len(token.text) <= 2
        for token in tokens
    )


def similarity(a: Block, b: Block) -> float:
    """How alike two blocks are (0 to 1); blocks of different kinds are not alike at all."""
    if a.kind != b.kind or a.kind not in ("text", "row"):
        return 0.0
    if a.kind == "row" and len(a.cells) != len(b.cells):
        return 0.0
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    if matcher.real_quick_ratio() < PAIR_RATIO or matcher.quick_ratio() < PAIR_RATIO:
        ratio = 0.0
    else:
        ratio = matcher.ratio()
    first = a.cells[0].unit.words if a.kind == "row" and a.cells else []
    if first and first == b.cells[0].unit.words:  # the same line of a table
        ratio = max(ratio, PAIR_RATIO + 0.1)
    return ratio


def compare_blocks(old: Sequence[Block], new: Sequence[Block]) -> list[Entry]:
    """The blackline's entries, in the new version's order, deleted blocks where they were."""
    matcher = SequenceMatcher(None, [b.key for b in old], [b.key for b in new], autojunk=False)
    opcodes = matcher.get_opcodes()
    loose_old = [i for tag, i1, i2, _, _ in opcodes if tag != "equal" for i in range(i1, i2)]
    loose_new = [j for tag, _, _, j1, j2 in opcodes if tag != "equal" for j in range(j1, j2)]
    moves = _moves(old, new, loose_old, loose_new)
    moved_new = {j: i for i, j in moves.items()}
    pairs: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "replace":
            pairs.update(_pair(old, new, range(i1, i2), range(j1, j2), moves, moved_new))
    # What is left may still have moved, less exactly.
    rest_old = [i for i in loose_old if i not in moves and i not in pairs]
    paired_new = set(pairs.values())
    rest_new = [j for j in loose_new if j not in moved_new and j not in paired_new]
    moves.update(_moves(old, new, rest_old, rest_new, exact=False))
    moved_new = {j: i for i, j in moves.items()}

    entries: list[Entry] = []
    destinations: dict[int, Entry] = {}
    stubs: dict[int, Entry] = {}

    def new_side(j: int) -> None:
        if j in moved_new:
            i = moved_new[j]
            entry = _changed(old[i], new[j], "moved")
            destinations[i] = entry
        else:
            entry = _inserted(new[j])
        entries.append(entry)

    def old_side(i: int) -> None:
        if i in moves:
            entry = Entry("moved-away", old=old[i])
            stubs[i] = entry
        else:
            entry = _deleted(old[i])
        entries.append(entry)

    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                entries.append(_same(old[i], new[j]))
            continue
        j = j1
        for i in range(i1, i2):
            if i in pairs:
                k = pairs[i]
                while j < k:
                    new_side(j)
                    j += 1
                entries += _split(old[i], new[k])
                j = k + 1
            else:
                old_side(i)
        while j < j2:
            new_side(j)
            j += 1
    for i, stub in stubs.items():
        stub.partner = destinations[i]
        destinations[i].partner = stub
    number = 0
    for entry in entries:
        if entry.changed and entry.status != "moved-away":
            number += 1
            entry.number = number
    return entries


def _moves(
    old: Sequence[Block],
    new: Sequence[Block],
    loose_old: list[int],
    loose_new: list[int],
    *,
    exact: bool = True,
) -> dict[int, int]:
    """Old index -> new index of the blocks that moved: the same text (``exact``), or nearly."""
    found: dict[int, int] = {}
    candidates = [j for j in loose_new if new[j].kind in ("text", "row")]
    if exact:
        by_key: dict[str, list[int]] = {}
        for j in candidates:
            by_key.setdefault(new[j].key, []).append(j)
        for i in loose_old:
            if old[i].word_count < MOVE_WORDS:
                continue
            same = by_key.get(old[i].key)
            if same:
                found[i] = same.pop(0)
        # A short block (a heading) that went with a moved block moved with it.
        grown = True
        while grown:
            grown = False
            for i in loose_old:
                if i in found or old[i].kind not in ("text", "row"):
                    continue
                for step in (1, -1):
                    neighbour = found.get(i + step)
                    if neighbour is None or neighbour - step not in by_key.get(old[i].key, []):
                        continue
                    found[i] = neighbour - step
                    by_key[old[i].key].remove(neighbour - step)
                    grown = True
                    break
        return found
    taken: set[int] = set()
    for i in loose_old:
        if old[i].word_count < 2 * MOVE_WORDS:
            continue
        best, best_ratio = None, MOVE_RATIO
        for j in candidates:
            if j in taken or new[j].word_count < MOVE_WORDS:
                continue
            ratio = similarity(old[i], new[j])
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            found[i] = best
            taken.add(best)
    return found


def _pair(
    old: Sequence[Block],
    new: Sequence[Block],
    olds: range,
    news: range,
    moves: dict[int, int],
    moved_new: dict[int, int],
) -> dict[int, int]:
    """Old -> new index of the blocks of a replaced region that are one block changed, in
    order (a pair never crosses another)."""
    pairs: dict[int, int] = {}
    start = news.start
    for i in olds:
        if i in moves:
            continue
        best, best_ratio = None, PAIR_RATIO
        for j in range(start, min(news.stop, start + LOOKAHEAD)):
            if j in moved_new:
                continue
            ratio = similarity(old[i], new[j])
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            pairs[i] = best
            start = best + 1
    return pairs


def _same(old: Block, new: Block) -> Entry:
    cells = [CellDiff(cell.node, [Op("eq", t) for t in cell.unit.tokens]) for cell in new.cells]
    ops = [Op("eq", token) for token in new.unit.tokens]
    return Entry("same", old, new, ops=ops, cells=cells, restyled=old.looks != new.looks)


def _changed(old: Block, new: Block, status: str) -> Entry:
    if new.kind == "row":
        if len(old.cells) != len(new.cells):
            cells = [CellDiff(cell.node, diff_units(None, cell.unit)) for cell in new.cells]
        else:
            cells = [
                CellDiff(b.node, diff_units(a.unit, b.unit))
                for a, b in zip(old.cells, new.cells, strict=True)
            ]
        return Entry(status, old, new, cells=cells)
    if new.kind == "text":
        return Entry(status, old, new, ops=diff_units(old.unit, new.unit))
    return Entry(status, old, new)


def _split(old: Block, new: Block) -> list[Entry]:
    """One block changed; a row whose cells no longer line up is one deleted, one inserted."""
    if old.kind == "row" and len(old.cells) != len(new.cells):
        return [_deleted(old), _inserted(new)]
    return [_changed(old, new, "changed")]


def _inserted(new: Block) -> Entry:
    cells = [CellDiff(cell.node, diff_units(None, cell.unit)) for cell in new.cells]
    return Entry("inserted", new=new, ops=diff_units(None, new.unit), cells=cells)


def _deleted(old: Block) -> Entry:
    cells = [CellDiff(cell.node, diff_units(cell.unit, None)) for cell in old.cells]
    return Entry("deleted", old=old, ops=diff_units(old.unit, None), cells=cells)
