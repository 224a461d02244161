"""What a person sees on a page: the text of its elements, found by tag, class or id.

A check such as `"0%" in page` also matches "100%" and `style="width: 0%"`; these helpers read
the text inside the elements a reader looks at instead. Selectors are simple: `tag`, `.class`,
`#id`, `tag.class`, and a space between two for "inside" (`"ol.ranking .score"`).
"""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNSEEN = {"script", "style", "template"}
# An open element (key) that ends where one of these starts, as browsers read it.
SELF_CLOSING = {
    "li": {"li"},
    "p": {"p", "div", "ul", "ol", "table"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
    "tr": {"tr"},
    "option": {"option"},
}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Element | None" = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """The element's text as read, whitespace collapsed."""
        return " ".join("".join(self._strings()).split())

    def _strings(self):
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag not in UNSEEN:
                yield from child._strings()
                if child.tag in ("br", "p", "li", "td", "th", "div", "tr"):
                    yield " "

    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def select(self, selector: str) -> list["Element"]:
        found = [self]
        for part in selector.split():
            matches = _matcher(part)
            found = _unique(d for element in found for d in element.descendants() if matches(d))
        return found

    def select_one(self, selector: str) -> "Element":
        """The only element matching `selector`; an AssertionError when there are none or more."""
        found = self.select(selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        return found[0]

    def __repr__(self):
        return f"<{self.tag} {self.attrs}: {self.text[:60]!r}>"


def _unique(elements) -> list[Element]:
    seen, result = set(), []
    for element in elements:
        if id(element) not in seen:
            seen.add(id(element))
            result.append(element)
    return result


def _matcher(simple: str):
    match = re.fullmatch(r"([a-z0-9]*)((?:[.#][\w-]+)*)", simple)
    assert match, f"unsupported selector {simple!r}"
    tag, rest = match.groups()
    classes = set(re.findall(r"\.([\w-]+)", rest))
    ids = re.findall(r"#([\w-]+)", rest)

    def matches(element: Element) -> bool:
        return (
            (not tag or element.tag == tag)
            and classes <= element.classes
            and all(element.attrs.get("id") == i for i in ids)
        )

    return matches


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        if tag in SELF_CLOSING.get(self.current.tag, ()):  # <li>a<li>b: the first li ends
            self.current = self.current.parent
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        open_element = self.current
        while open_element is not self.root and open_element.tag != tag:
            open_element = open_element.parent
        if open_element is not self.root:
            self.current = open_element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: str | bytes) -> Element:
    """The page as a tree of elements; `page` is the HTML, or a response's content."""
    builder = _TreeBuilder()
    builder.feed(page.decode() if isinstance(page, bytes) else page)
    builder.close()
    return builder.root


def texts(page: str | bytes, selector: str) -> list[str]:
    """The text of every element matching `selector`, in page order."""
    return [element.text for element in parse(page).select(selector)]


def text(page: str | bytes, selector: str) -> str:
    """The text of the one element matching `selector`."""
    return parse(page).select_one(selector).text


def ranking(page: str | bytes) -> list[tuple[str, str]]:
    """The result page's ranking as a voter reads it: (party name, score shown), best first."""
    return [
        (rank.select_one(".party-name").text, rank.select_one(".score").text)
        for rank in parse(page).select(".ranking .rank")
    ]


def table_rows(table: Element) -> list[list[str]]:
    """The text of each cell, row by row, header rows included."""
    return [
        [
            cell.text
            for cell in row.children
            if isinstance(cell, Element) and cell.tag in ("th", "td")
        ]
        for row in table.select("tr")
    ]


def places(page: str | bytes) -> list[tuple[str, str]]:
    """The ranked parties as a voter reads them: (place shown, party name), in page order."""
    return [
        (rank.select_one(".place").text, rank.select_one(".party-name").text)
        for rank in parse(page).select("ol.ranking .rank")
    ]


def unranked(page: str | bytes) -> list[tuple[str, str]]:
    """The parties shown apart as too little compared: (party name, what is said of them)."""
    return [
        (rank.select_one(".party-name").text, rank.select_one("p.muted").text)
        for rank in parse(page).select("ul.unranked .rank")
    ]
