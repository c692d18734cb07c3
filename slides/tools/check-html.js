// SPDX-License-Identifier: GPL-2.0
// Check built reveal.js decks in Debian's headless Chromium, slide by slide:
// nothing sticks out of the slide's box and no code block is clipped, every
// image loaded, every slide has speaker notes, and the page asked for
// nothing over http(s).  One line per finding:
//   DECK <file> slides=N            then, per problem,
//   FAIL <file> <kind> slide <n>: <what>        kind: fit image notes net
//   node slides/tools/check-html.js [--shots DIR] FILE.html...
// --shots DIR also saves a PNG of every slide (DIR/<deck>-<n>.png).
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOL = 1; // px, for rounding in the scaled slide

async function checkDeck(ctx, file, shots) {
  const name = path.basename(file, '.html');
  const page = await ctx.newPage();
  const net = [];
  // Record and refuse every remote load; file: and data: are fine.
  await page.route(() => true, (route) => {
    const u = route.request().url();
    if (/^(file|data|blob|about):/.test(u)) return route.continue();
    net.push(u);
    return route.abort();
  });
  await page.goto('file://' + path.resolve(file));
  await page.waitForFunction(() => window.Reveal && window.Reveal.isReady(), null, { timeout: 20000 });
  await page.evaluate(() => window.Reveal.configure({ transition: 'none', backgroundTransition: 'none' }));
  const n = await page.evaluate(() => window.Reveal.getTotalSlides());
  const fails = [];
  for (let i = 0; i < n; i++) {
    const r = await page.evaluate((i) => {
      const R = window.Reveal;
      const s = R.getSlides()[i];
      const ix = R.getIndices(s);
      R.slide(ix.h, ix.v);
      const out = { fit: [], image: [], notes: [] };
      const box = document.querySelector('.reveal .slides').getBoundingClientRect();
      const tol = 1;
      for (const el of s.querySelectorAll('*')) {
        if (el.closest('aside.notes')) continue;
        const b = el.getBoundingClientRect();
        if (b.width === 0 && b.height === 0) continue;
        const what = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
        if (b.left < box.left - tol || b.right > box.right + tol || b.top < box.top - tol || b.bottom > box.bottom + tol)
          out.fit.push(`${what} at [${Math.round(b.left - box.left)},${Math.round(b.top - box.top)} ${Math.round(b.width)}x${Math.round(b.height)}] outside the ${Math.round(box.width)}x${Math.round(box.height)} slide`);
        if ((el.tagName === 'PRE' || el.tagName === 'CODE' || el.tagName === 'TABLE') &&
            (el.scrollWidth > el.clientWidth + tol || el.scrollHeight > el.clientHeight + tol))
          out.fit.push(`${what} does not hold its content (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
      }
      for (const img of s.querySelectorAll('img, image')) {
        if (img.tagName === 'IMG' && (!img.complete || img.naturalWidth === 0))
          out.image.push(`image ${(img.getAttribute('src') || '').slice(0, 60)} did not load`);
      }
      if (s.id !== 'title-slide') {
        const nt = s.querySelector('aside.notes');
        if (!nt || nt.textContent.trim().length < 20) out.notes.push('no speaker notes');
      }
      const title = (s.querySelector('h1, h2') || {}).textContent || '';
      return { out, title };
    }, i);
    for (const kind of ['fit', 'image', 'notes'])
      for (const w of r.out[kind].slice(0, 3)) fails.push(`FAIL ${name} ${kind} slide ${i + 1} (${r.title.trim()}): ${w}`);
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `${name}-${i + 1}.png`) });
    }
  }
  for (const u of net) fails.push(`FAIL ${name} net: loads ${u}`);
  await page.close();
  console.log(`DECK ${name} slides=${n}`);
  for (const f of fails) console.log(f);
  return fails.length === 0;
}

(async () => {
  const args = process.argv.slice(2);
  let shots = null;
  if (args[0] === '--shots') { shots = args[1]; args.splice(0, 2); }
  if (!args.length) { console.error('usage: check-html.js [--shots DIR] FILE.html...'); process.exit(2); }
  const dataDir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'diolab-chromium-'));
  // A fresh profile (--user-data-dir) for every run.
  const ctx = await chromium.launchPersistentContext(dataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  }).catch((e) => { console.error(`check-html: cannot start ${CHROMIUM}: ${e.message.split('\n')[0]} (run make deps)`); process.exit(2); });
  let good = true;
  for (const f of args) good = (await checkDeck(ctx, f, shots)) && good;
  await ctx.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(good ? 0 : 1);
})();
