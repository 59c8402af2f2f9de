import { describe, expect, it } from 'vitest';
import { initialFiles } from './suite.js';

describe('the initial route of the UI', () => {
  it('is the entry script, its preloaded chunks and the stylesheet named by index.html', () => {
    const html = `<head>
      <script type="module" crossorigin src="/assets/index-a.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/client-b.js">
      <link rel="stylesheet" crossorigin href="/assets/index-c.css">
      <link rel="icon" href="/favicon.svg">
    </head>`;
    expect(initialFiles(html)).toEqual(['assets/index-a.js', 'assets/client-b.js', 'assets/index-c.css']);
  });
});
