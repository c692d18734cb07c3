// SPDX-License-Identifier: GPL-2.0
// Open Chrome trace-event files in speedscope (a trace viewer from npm,
// tests/viewer/package-lock.json) in Debian's headless Chromium, the way a
// person would: its Browse file input, then the file.  One line per file:
//   OK <file> profiles=N first=<the first thread's profile name>
//   FAIL <file>: <what the viewer said>
// Any page error, console error or console warning (speedscope warns about
// slices that do not balance) or its "Something went wrong" page fails it.
// Nothing is fetched from the network: every non-file URL is refused.
//   node tests/viewer/speedscope-check.js FILE.json...
'use strict';
const path = require('path');
const top = path.resolve(__dirname, '../..');
const { chromium } = require(path.join(top, 'slides/node_modules/playwright-core'));

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const INDEX = path.join(__dirname, 'node_modules/speedscope/dist/release/index.html');

async function check(browser, file) {
  const page = await browser.newPage();
  const said = [];
  page.on('console', (m) => {
    // the software GL stack's own chatter is no finding about the file
    if (/WebGL|GL Driver Message|swiftshader/i.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') said.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => said.push(`page error: ${e.message}`));
  let dialogSeen;
  const dialog = new Promise((resolve) => { dialogSeen = resolve; });
  page.on('dialog', (d) => { said.push(`dialog: ${d.message()}`); d.dismiss(); dialogSeen(); });
  await page.route(() => true, (route) => {
    const u = route.request().url();
    if (/^(file|data|blob|about):/.test(u)) return route.continue();
    said.push(`network request refused: ${u}`);
    return route.abort();
  });
  await page.goto('file://' + INDEX);
  await page.setInputFiles('input[type=file]', path.resolve(file));
  // loaded: the toolbar names the profile and the flame chart is drawn
  let loaded = true;
  try {
    // an alert ("Unrecognized format!") is an answer too
    await Promise.race([dialog, page.waitForFunction(() => document.title !== 'speedscope' ||
      document.body.innerText.includes('Something went wrong'), null, { timeout: 20000 })]);
  } catch (e) {
    loaded = false;
  }
  const text = await page.evaluate(() => document.body.innerText);
  const title = await page.title();
  await page.close();
  if (text.includes('Something went wrong')) said.push('speedscope: Something went wrong');
  if (!loaded) said.push('speedscope did not show a profile within 20 s');
  if (said.length) return `FAIL ${file}: ${said.map((w) => w.slice(0, 240)).join('; ')}`;
  const m = text.match(/\((\d+)\/(\d+)\)/);
  return `OK ${file} profiles=${m ? m[2] : 1} first=${title.replace(/ - speedscope$/, '')}`;
}

(async () => {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node tests/viewer/speedscope-check.js FILE.json...');
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
  let bad = 0;
  for (const f of files) {
    const line = await check(browser, f).catch((e) => `FAIL ${f}: ${e.message.split('\n')[0]}`);
    if (line.startsWith('FAIL')) bad++;
    console.log(line);
  }
  await browser.close();
  process.exit(bad ? 1 : 0);
})();
