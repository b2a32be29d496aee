/** "a Shell step", "an Antigravity step": the article a tool's label takes, by its first letter. */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}
