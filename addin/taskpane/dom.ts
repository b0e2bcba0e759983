/** A tiny hyperscript helper: the pane is small enough to need no UI framework. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: Event) => void;
export type Props = Readonly<
  Record<string, string | number | boolean | Handler | null | undefined>
>;

// Set as DOM properties, not attributes, so the live state of a control follows them.
const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "hidden"]);

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child as readonly Child[]) append(parent, c);
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

/** An element: `h("button", { class: "primary", onclick: go }, "Pull")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (PROPERTIES.has(name)) Reflect.set(el, name, value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}
