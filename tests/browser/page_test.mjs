// Drives emo serve's page in headless Chromium as a person would: paste a conversation, analyse it, read the chips
// and numbers shown and compare them with the API's own answer; upload a recording and read its segments. Every
// check throws on failure (node exits non-zero); screenshots are kept as artefacts.
//
//   node page_test.mjs URL ARTIFACTS_DIR
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const [url, artifacts] = process.argv.slice(2);
assert.ok(url && artifacts, "usage: node page_test.mjs URL ARTIFACTS_DIR");

const conversation = [
  ["Maya", "I got the tickets for the concert tonight!"],
  ["Leo", "Wait, tonight? I already told my brother I'd help him move."],
  ["Maya", "Seriously? You said you'd keep this evening free for me."],
  ["Leo", "I'm sorry, I completely forgot. That's awful of me."],
  ["Maya", "It's fine. I'll ask Sam to come instead."],
];

// A WAV of two voiced bursts (a 140 Hz buzz with harmonics) between silences, 16 kHz mono, for the upload test.
function voicedWav() {
  const rate = 16000, seconds = 3, n = rate * seconds;
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const on = (t > 0.4 && t < 1.2) || (t > 1.8 && t < 2.6);
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin(2 * Math.PI * 140 * h * t) / h;
    samples[i] = on ? Math.round(6000 * v) : Math.round(30 * Math.sin(i));
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0); header.writeUInt32LE(36 + n * 2, 4); header.write("WAVE", 8);
  header.write("fmt ", 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34); header.write("data", 36); header.writeUInt32LE(n * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer)]);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const consoleErrors = [];
  page.on("console", m => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", e => consoleErrors.push(String(e)));
  const external = [];
  page.on("request", r => { if (!r.url().startsWith(url)) external.push(r.url()); });

  await page.goto(url);
  assert.equal(await page.title(), "emo: emotion recognition");

  // The conversation, pasted as "Speaker: text" lines.
  await page.fill("#conversation-input", conversation.map(([s, t]) => `${s}: ${t}`).join("\n"));
  await page.check("#with-causes");
  await page.click("#analyse-conversation");
  await page.waitForSelector("#utterances li.utterance >> nth=4", { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector("#conversation-status").textContent.includes("analysed"));
  const status = await page.textContent("#conversation-status");
  assert.match(status, /^5 utterances analysed in \d+ ms$/);

  // The API's own answer for the same conversation: the page must show exactly it.
  const api = await page.evaluate(async body => {
    const r = await fetch("/v1/conversation", { method: "POST", headers: { "Content-Type": "application/json" },
                                                body: JSON.stringify(body) });
    return r.json();
  }, { dialogue_id: "pasted", causes: true, utterances: conversation.map(([speaker, text]) => ({ speaker, text })) });
  const shown = await page.$$eval("#utterances li.utterance", items => items.map(li => ({
    speaker: li.querySelector(".speaker").textContent,
    text: li.querySelector(".text").textContent,
    emotion: li.querySelector(".chip").dataset.emotion,
    chip: li.querySelector(".chip").textContent,
    score: li.querySelector(".score").textContent,
    causes: li.querySelector(".causes") ? li.querySelector(".causes").textContent : "",
  })));
  assert.equal(shown.length, api.utterances.length);
  shown.forEach((s, i) => {
    const u = api.utterances[i];
    assert.equal(s.speaker, u.speaker + ":");
    assert.equal(s.text, u.text);
    assert.equal(s.emotion, u.emotion);
    assert.equal(s.chip, u.emotion);
    assert.equal(s.score, (u.scores[u.emotion] * 100).toFixed(0) + "%");
    for (const c of u.causes || []) assert.ok(s.causes.includes(`#${c.index + 1}`), `utterance ${i}: cause ${c.index}`);
  });
  // The charts, drawn by the server's chart code: a mark per utterance with its emotion, a point per turn on the
  // valence / arousal path, an arrow per cause.
  const timeline = await page.$$eval('figure[data-chart="timeline"] g.utterance',
                                     marks => marks.map(g => [Number(g.dataset.index), g.dataset.emotion]));
  assert.deepEqual(timeline, api.utterances.map(u => [u.index, u.emotion]));
  assert.equal(await page.locator('figure[data-chart="valence_arousal"] g.va-point').count(), api.utterances.length);
  const arrows = await page.$$eval('figure[data-chart="causes"] g.cause-arrow',
                                   marks => marks.map(g => `${g.dataset.from}>${g.dataset.to}`).sort());
  const causes = api.utterances.flatMap(u => (u.causes || []).map(c => `${c.index}>${u.index}`)).sort();
  assert.ok(causes.length > 0, "the example conversation should have causes");
  assert.deepEqual(arrows, causes);
  await page.screenshot({ path: join(artifacts, "conversation.png"), fullPage: true });

  // A CSV file opened from disk goes to the server as it is: the same utterances.
  const csv = "dialogue_id,speaker,text\n" + conversation.map(([sp, t]) => `talk,${sp},"${t.replace(/"/g, '""')}"`).join("\n") + "\n";
  await page.setInputFiles("#conversation-file", { name: "talk.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector("#conversation-input").value.startsWith("dialogue_id"));
  await page.click("#analyse-conversation");
  await page.waitForSelector("#utterances li.utterance >> nth=4", { timeout: 30000 });
  const fromCsv = await page.$$eval("#utterances li.utterance", items => items.map(li => li.dataset.emotion));
  assert.deepEqual(fromCsv, api.utterances.map(u => u.emotion));

  // A line without a speaker is refused on the page, with the line named.
  await page.fill("#conversation-input", "Maya: fine\nno speaker here");
  await page.click("#analyse-conversation");
  await page.waitForFunction(() => document.querySelector("#conversation-status").classList.contains("error"));
  assert.match(await page.textContent("#conversation-status"), /line 2/);

  // A recording: its segments listed with their emotions.
  await page.setInputFiles("#audio-file", { name: "voice.wav", mimeType: "audio/wav", buffer: voicedWav() });
  await page.waitForFunction(() => /segments of voice\.wav|error/.test(document.querySelector("#audio-status").textContent),
                             null, { timeout: 30000 });
  assert.doesNotMatch(await page.textContent("#audio-status"), /error/i);
  const segments = await page.$$eval("#segments li.segment", items => items.map(li => li.dataset.emotion));
  assert.ok(segments.length >= 1, "no segment shown");
  for (const e of segments) assert.ok(e.length > 0, "a segment without an emotion");
  const shaded = await page.$$eval('figure[data-chart="waveform"] g.segment', marks => marks.map(g => g.dataset.emotion));
  assert.deepEqual(shaded, segments, "one shaded span per segment, in its emotion");
  await page.screenshot({ path: join(artifacts, "recording.png"), fullPage: true });

  assert.deepEqual(consoleErrors, [], "console errors");
  assert.deepEqual(external, [], "the page must fetch nothing from elsewhere");
  writeFileSync(join(artifacts, "page_test.ok"), `${shown.length} utterances, ${segments.length} segments\n`);
  console.log(`page_test: ${shown.length} utterances and ${segments.length} segments shown as the API answers`);
} finally {
  await browser.close();
}
