// Opens a report of `emo report` in headless Chromium and checks what it shows against `emo conv --causes`'s records
// of the same file: a chip per utterance with its emotion, the causes named under each, a timeline mark per utterance
// and an arrow per cause. Screenshot kept as an artefact.
//
//   node report_test.mjs REPORT.html CONV.jsonl ARTIFACTS_DIR
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [report, records, artifacts] = process.argv.slice(2);
assert.ok(report && records && artifacts, "usage: node report_test.mjs REPORT.html CONV.jsonl ARTIFACTS_DIR");
const utterances = readFileSync(records, "utf8").trim().split("\n").map(line => JSON.parse(line));

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests = [];
  page.on("request", r => requests.push(r.url()));
  const url = pathToFileURL(resolve(report)).href;
  await page.goto(url);

  const chips = await page.$$eval("li.utterance", items => items.map(li => ({
    index: Number(li.dataset.index), speaker: li.dataset.speaker, emotion: li.querySelector(".chip").dataset.emotion,
    causes: [...li.querySelectorAll(".cause")].map(c => Number(c.dataset.from)),
  })));
  assert.equal(chips.length, utterances.length);
  chips.forEach((c, i) => {
    const u = utterances[i];
    assert.equal(c.index, u.index);
    assert.equal(c.speaker, u.speaker);
    assert.equal(c.emotion, u.emotion);
    assert.deepEqual([...c.causes].sort(), (u.causes || []).map(x => x.index).sort(), `causes of utterance ${i}`);
  });
  const marks = await page.$$eval('figure[data-chart="timeline"] g.utterance', gs => gs.map(g => g.dataset.emotion));
  assert.deepEqual(marks, utterances.map(u => u.emotion));
  const arrows = await page.locator('figure[data-chart="causes"] g.cause-arrow').count();
  assert.equal(arrows, utterances.reduce((n, u) => n + (u.causes || []).length, 0));
  assert.equal(await page.locator('figure[data-chart="valence_arousal"] g.va-point').count(), utterances.length);
  assert.deepEqual(requests, [url], "the report must load nothing but itself");
  await page.screenshot({ path: join(artifacts, "report.png"), fullPage: true });
  console.log(`report_test: ${chips.length} chips, ${arrows} cause arrows, as emo conv --causes says`);
} finally {
  await browser.close();
}
