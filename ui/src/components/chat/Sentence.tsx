import type { Words } from "./moderationWords";

/**
 * A sentence with an author's name in it: the name goes in a `<bdi>`, so a direction override in
 * it cannot reorder the words around it. Text only, never HTML.
 */
export function Sentence({ words }: { words: Words }) {
  const at = words.template.indexOf("{author}");
  if (at < 0 || words.author === undefined) return <>{words.template}</>;
  return (
    <>
      {words.template.slice(0, at)}
      <bdi>{words.author}</bdi>
      {words.template.slice(at + "{author}".length)}
    </>
  );
}
