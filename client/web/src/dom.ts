// The one way the widget and the summary page build DOM: no innerHTML, so
// nothing from the server is ever parsed as markup.

/** An element with attributes ("class" sets className) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

export function list(items: string[]): HTMLUListElement {
  return el("ul", {}, ...items.map((item) => el("li", {}, item)));
}
