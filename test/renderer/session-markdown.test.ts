import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../renderer/sessions/Markdown.js';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('a message as Markdown', () => {
  it('renders what agents write: headings, code, lists, GFM tables and task lists', () => {
    const out = html('## Plan\n\n- [x] read `app.ts`\n- [ ] run tests\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```');
    expect(out).toContain('<h2>Plan</h2>');
    expect(out).toContain('<code>app.ts</code>');
    expect(out).toContain('type="checkbox"');
    expect(out).toContain('<table>');
    expect(out).toContain('<code class="language-ts">const x = 1;\n</code>');
  });

  it('never turns an agent’s HTML into elements: script, event handlers and iframes stay text', () => {
    const out = html('Hello <script>alert(1)</script> <img src=x onerror="alert(2)"> <iframe src="https://evil.example"></iframe>');
    expect(out).not.toMatch(/<script|<img|<iframe/);
    expect(out).toContain('&lt;script&gt;');
  });

  it('drops javascript: links and shows images as links instead of loading them', () => {
    const out = html('[click](javascript:alert(1)) ![chart](https://tracker.example/p.png)');
    expect(out).not.toContain('javascript:');
    expect(out).not.toContain('<img');
    expect(out).toContain('<a href="https://tracker.example/p.png" target="_blank" rel="noreferrer noopener">image: chart</a>');
  });
});
