// Browser test of MyBlog.com running in local mode: headless Debian Chromium
// driven by playwright-core. Run it with run.sh, which starts local mode and
// passes its state file in LOCAL_STATE.
//
// Screenshots go to tests/artifacts/browser/ (kept by CI as artifacts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, '..', 'artifacts', 'browser');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const state = JSON.parse(await readFile(process.env.LOCAL_STATE, 'utf8'));

// Flags for a quiet, reproducible headless Chromium: no sandbox (CI
// containers have no user namespaces), no GPU, no network chatter.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let context;
let profile;
let page;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  // A fresh profile per run (Playwright passes it as --user-data-dir).
  profile = await mkdtemp(join(tmpdir(), 'blog-browser-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1024, height: 768 },
  });
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (err) => console.error('page error:', err));
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

const runID = Date.now().toString(36);

async function shot(name) {
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
}

// until polls check until it returns a truthy value or timeoutMs passes.
async function until(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('the blog page loads and lists the posts, newest first', async () => {
  // Seed posts through the blog API, as an author with the API key would.
  const titles = [];
  for (const n of [1, 2, 3]) {
    const slug = `post-${runID}-${n}`;
    const title = `Post ${n} of run ${runID}`;
    const response = await fetch(state.BlogAPI + '/posts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-api-key': state.APIKey },
      body: JSON.stringify({ slug, title, body: `Body of post ${n}.\n\nSecond paragraph.` }),
    });
    assert.equal(response.status, 201, `publishing ${slug}: ${await response.text()}`);
    titles.push(title);
    await new Promise((resolve) => setTimeout(resolve, 20)); // distinct publication times
  }

  const response = await page.goto(state.Site + '/');
  assert.equal(response.status(), 200);
  assert.equal(await page.title(), 'MyBlog');
  await page.locator('[data-posts] li').first().waitFor();
  const listed = await page.locator('[data-posts] li a').allTextContents();
  const ours = listed.filter((t) => t.includes(runID));
  assert.deepEqual(ours, [...titles].reverse(), 'posts newest first');
  await shot('post-list');

  // A post opens on its own page.
  await page.locator('[data-posts] li a', { hasText: titles[2] }).click();
  await page.waitForURL(/post\.html\?slug=/);
  await page.locator('[data-title]', { hasText: titles[2] }).waitFor();
  assert.equal(await page.locator('[data-body] p').count(), 2);
  await shot('post');
});

test('a visitor signs up and the welcome mail arrives', async () => {
  const email = `reader-${runID}@example.com`;
  const name = `Reader ${runID}`;
  await page.goto(state.Site + '/signup.html');
  await page.fill('#name', name);
  await page.fill('#email', email);
  await page.click('form[data-signup] button[type=submit]');
  const accepted = 'Unless this address has signed up before, a welcome e-mail is on its way.';
  await page.locator('[data-status]', { hasText: accepted }).waitFor();
  await shot('signup');

  // The mail, as the SES emulator accepted it.
  const mails = await until('the welcome mail', async () => {
    const store = await (await fetch(state.SES + '/store')).json();
    const ours = store.emails.filter((m) => m.destination.to.includes(email));
    return ours.length > 0 && ours;
  });
  assert.equal(mails.length, 1, 'exactly one welcome mail');
  assert.equal(mails[0].subject, `Welcome, ${name}!`);

  // Signing up again looks the same (the site does not tell who has an
  // account) and sends nothing.
  await page.goto(state.Site + '/signup.html');
  await page.fill('#name', name);
  await page.fill('#email', email);
  await page.click('form[data-signup] button[type=submit]');
  await page.locator('[data-status]', { hasText: accepted }).waitFor();
  await shot('signup-again');
  const again = (await (await fetch(state.SES + '/store')).json()).emails.filter((m) => m.destination.to.includes(email));
  assert.equal(again.length, 1, 'still exactly one welcome mail');
});

test("an uploaded picture's thumbnail appears", async () => {
  // The picture is a screenshot of the blog, uploaded to the uploads bucket
  // as an author's tool would put it there.
  await page.goto(state.Site + '/');
  const picture = await page.screenshot({ type: 'png' });
  const name = `shot-${runID}`;
  const put = await fetch(`${state.S3}/${state.UploadsBucket}/${state.UploadPrefix}${name}.png`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/png' },
    body: picture,
  });
  assert.equal(put.status, 200, `upload: ${await put.text()}`);

  // An opaque PNG becomes JPEG thumbnails under the upload's own key; the
  // smallest size is shown.
  const size = Math.min(...state.Sizes);
  const src = `/${state.ThumbnailPrefix}${size}/${name}.png`;
  await until('the thumbnail', async () => (await fetch(state.Site + src)).status === 200, 60_000);
  const head = await fetch(state.Site + src);
  assert.equal(head.headers.get('content-type'), 'image/jpeg', 'thumbnail format');

  const shown = await page.evaluate(async (src) => {
    const img = document.createElement('img');
    img.alt = 'Thumbnail of the uploaded picture';
    img.src = src;
    img.dataset.thumbnail = '';
    document.querySelector('main').prepend(img);
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  }, src);
  assert.equal(shown.width, size, 'thumbnail width');
  assert.equal(shown.height, Math.round((size * 768) / 1024), 'thumbnail height keeps the aspect ratio');
  await page.locator('img[data-thumbnail]').waitFor();
  await shot('thumbnail');
});
