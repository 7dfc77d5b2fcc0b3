"""Render the fake's state into any HTML page, hand-made or captured, with a small token rewrite.

Keyed on attributes rather than template placeholders, so a captured page (issue #8) gets state
without being edited: every ``[role=switch][aria-labelledby=K]`` (input or button) gets
``aria-checked`` (and ``checked`` on inputs) from the state of K, its enclosing switch wrapper gets
the "toggled" class, and the wrapper's text span the localized ON/OFF word. An element marked
``data-fake-state-of="K"`` (e.g. a summary row) gets the word too. A control whose real markup has
no ``aria-labelledby`` key (X's checkboxes, ChatGPT's button switch) names its key in the fake-only
attribute ``data-fake-switch="K"`` and is rendered the same way. Hidden inputs named in ``fill``
get a value (the sign-in return path), and the behaviour script goes before ``</body>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
STATE_ATTR = "data-fake-state-of"
SWITCH_ATTR = "data-fake-switch"


@dataclass
class Token:
    kind: str  # start | startend | end | text
    raw: str
    tag: str = ""
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    parent: int = -1

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    def classes(self) -> list[str]:
        return (self.attr("class") or "").split()


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[Token] = []
        self.stack: list[int] = []

    def _parent(self) -> int:
        return self.stack[-1] if self.stack else -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(Token("start", self.get_starttag_text() or "", tag, attrs, self._parent()))
        if tag not in VOID:
            self.stack.append(len(self.tokens) - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(Token("startend", self.get_starttag_text() or "", tag, attrs, self._parent()))

    def handle_endtag(self, tag: str) -> None:
        open_tags = [self.tokens[i].tag for i in self.stack]
        if tag in open_tags:
            while self.stack and self.tokens[self.stack.pop()].tag != tag:
                pass
        self.tokens.append(Token("end", f"</{tag}>", tag, parent=self._parent()))

    def _text(self, raw: str) -> None:
        self.tokens.append(Token("text", raw, parent=self._parent()))

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._text(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._text(f"<![{data}]>")


def tokenize(html: str) -> list[Token]:
    """Tokens with their parent element, enough to rebuild the page."""
    parser = _Tokenizer()
    parser.feed(html)
    parser.close()
    return parser.tokens


@dataclass(frozen=True)
class RenderSpec:
    """What to render into a page."""

    state: Callable[[str], bool]
    """Switch key -> ON?"""
    words: tuple[str, str]
    wrapper_class: str
    toggled_class: str
    text_class: str
    fill: Mapping[str, str] = field(default_factory=dict)
    """Input name -> value, for hidden (and plain text) inputs."""
    inject: str = ""
    """HTML inserted before ``</body>`` (the behaviour script)."""


def _set(attrs: list[tuple[str, str | None]], name: str, value: str | None, present: bool = True) -> None:
    """Set (in place, keeping attribute order), add, or remove (``present=False``) an attribute."""
    names = [k for k, _ in attrs]
    if not present:
        attrs[:] = [(k, v) for k, v in attrs if k != name]
    elif name in names:
        attrs[names.index(name)] = (name, value)
    else:
        attrs.append((name, value))


def _start_tag(token: Token) -> str:
    parts = [token.tag]
    for name, value in token.attrs:
        parts.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
    return "<" + " ".join(parts) + (" />" if token.kind == "startend" else ">")


def _ancestors(tokens: list[Token], index: int) -> list[int]:
    chain: list[int] = []
    parent = tokens[index].parent
    while parent >= 0:
        chain.append(parent)
        parent = tokens[parent].parent
    return chain


def render(html: str, spec: RenderSpec) -> str:
    """The page with state, fills and the injected script applied."""
    tokens = tokenize(html)
    changed: set[int] = set()
    words: dict[int, str] = {}  # element index -> the text it must show

    def word(on: bool) -> str:
        return spec.words[0] if on else spec.words[1]

    wrappers: dict[int, bool] = {}
    for i, tok in enumerate(tokens):
        if tok.kind not in ("start", "startend"):
            continue
        key = tok.attr(SWITCH_ATTR) or (tok.attr("aria-labelledby") if tok.attr("role") == "switch" else None)
        if key:
            on = spec.state(key)
            _set(tok.attrs, "aria-checked", "true" if on else "false")
            if tok.tag == "input":
                _set(tok.attrs, "checked", None, present=on)
            changed.add(i)
            wrapper = next(
                (a for a in _ancestors(tokens, i) if spec.wrapper_class in tokens[a].classes()), None
            )
            if wrapper is not None:
                wrappers[wrapper] = on
        marked = tok.attr(STATE_ATTR)
        if marked:
            words[i] = word(spec.state(marked))
        name = tok.attr("name")
        fillable = tok.attr("type") in ("hidden", "text", "email", None)
        if tok.tag == "input" and name is not None and name in spec.fill and fillable:
            _set(tok.attrs, "value", spec.fill[name])
            changed.add(i)

    for wrapper, on in wrappers.items():
        tok = tokens[wrapper]
        classes = [c for c in tok.classes() if c != spec.toggled_class] + ([spec.toggled_class] if on else [])
        _set(tok.attrs, "class", " ".join(classes))
        changed.add(wrapper)
    for i, tok in enumerate(tokens):
        if tok.kind == "start" and spec.text_class in tok.classes():
            owner = next((a for a in _ancestors(tokens, i) if a in wrappers), None)
            if owner is not None:
                words[i] = word(wrappers[owner])

    out: list[str] = []
    injected = False
    last_body_end = max((i for i, t in enumerate(tokens) if t.kind == "end" and t.tag == "body"), default=-1)
    for i, tok in enumerate(tokens):
        if tok.kind == "text" and tok.parent in words:
            continue  # replaced by the word, written after the start tag
        if i == last_body_end and spec.inject:
            out.append(spec.inject)
            injected = True
        out.append(_start_tag(tok) if i in changed else tok.raw)
        if i in words:
            out.append(escape(words[i]))
    if spec.inject and not injected:
        out.append(spec.inject)
    return "".join(out)
