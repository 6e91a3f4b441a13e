// The page's only script: reads the inputs, calls this server's /v1 routes, and shows the answers. The charts come
// from the server as SVG (the same code as `emo report` draws them), so this script only places them.
"use strict";

const colours = { anger: "#c0392b", disgust: "#6b8e23", fear: "#7d3c98", joy: "#e0a800", neutral: "#7f8c8d",
                  sadness: "#2e6da4", surprise: "#e67e22" };
const synonyms = { angry: "anger", mad: "anger", happy: "joy", happiness: "joy", joyful: "joy", sad: "sadness",
                   fearful: "fear", scared: "fear", surprised: "surprise", disgusted: "disgust" };
function colourOf(emotion) {
  const name = String(emotion || "").toLowerCase();
  return colours[synonyms[name] || name] || "#34495e";
}

function $(id) { return document.getElementById(id); }

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "style") node.style.cssText = value; else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function headers(type) {
  const h = { "Content-Type": type };
  const key = $("api-key").value.trim();
  if (key) h.Authorization = "Bearer " + key;
  return h;
}

async function call(path, body, type) {
  const response = await fetch(path, { method: "POST", headers: headers(type), body });
  const text = await response.text();
  let answer;
  try { answer = JSON.parse(text); } catch { throw new Error(`${response.status}: ${text.slice(0, 200)}`); }
  if (!response.ok) throw new Error(answer.error ? answer.error.message : `status ${response.status}`);
  return answer;
}

function setStatus(id, message, isError) {
  const node = $(id);
  node.textContent = message;
  node.classList.toggle("error", Boolean(isError));
}

// "Speaker: text" lines, or emo's JSON conversation format.
function parseConversation(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return JSON.parse(trimmed);
  const utterances = [];
  trimmed.split(/\r?\n/).forEach((line, n) => {
    if (!line.trim()) return;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`line ${n + 1}: write it as "Speaker: text"`);
    utterances.push({ speaker: line.slice(0, colon).trim(), text: line.slice(colon + 1).trim() });
  });
  if (!utterances.length) throw new Error("the conversation is empty");
  return { dialogue_id: "pasted", utterances };
}

function showCharts(containerId, charts) {
  const container = $(containerId);
  container.replaceChildren();
  for (const chart of charts || []) {
    const figure = element("figure", { "data-chart": chart.id }, element("figcaption", {}, chart.title));
    const holder = element("div", { class: "chart" });
    holder.innerHTML = chart.svg;  // SVG made by the server from escaped text
    figure.append(holder);
    container.append(figure);
  }
}

function chip(emotion) {
  return element("span", { class: "chip", "data-emotion": emotion, style: `background:${colourOf(emotion)}` }, emotion);
}

function showUtterances(answer) {
  const list = $("utterances");
  list.replaceChildren();
  for (const u of answer.utterances) {
    const item = element("li", { class: "utterance", "data-index": u.index, "data-emotion": u.emotion || "" },
                         element("span", { class: "speaker" }, u.speaker + ":"), element("span", { class: "text" }, u.text));
    if (u.error) item.append(element("span", { class: "causes" }, "error: " + u.error));
    else {
      item.append(chip(u.emotion), element("span", { class: "score" }, (u.scores[u.emotion] * 100).toFixed(0) + "%"));
      if (u.causes && u.causes.length)
        item.append(element("div", { class: "causes" },
          "caused by " + u.causes.map(c => `#${c.index + 1} “${c.span}”`).join(", ")));
    }
    list.append(item);
  }
}

// A CSV or JSON Lines file opened and left as it is goes to the server as that file, which reads it as `emo conv`
// does; anything typed or pasted is read here.
let opened = null;

function conversationRequest() {
  const text = $("conversation-input").value;
  const causes = $("with-causes").checked;
  if (opened && opened.text === text && opened.type)
    return { query: `?charts=true&causes=${causes}`, body: text, type: opened.type };
  const conversation = parseConversation(text);
  conversation.causes = causes;
  return { query: "?charts=true", body: JSON.stringify(conversation), type: "application/json" };
}

async function analyseConversation() {
  const button = $("analyse-conversation");
  let request;
  try { request = conversationRequest(); }
  catch (e) { setStatus("conversation-status", e.message, true); return; }
  button.disabled = true;
  $("utterances").replaceChildren();
  $("conversation-charts").replaceChildren();
  setStatus("conversation-status", "Analysing…");
  try {
    const started = performance.now();
    const answer = await call("/v1/conversation" + request.query, request.body, request.type);
    showUtterances(answer);
    showCharts("conversation-charts", answer.charts);
    setStatus("conversation-status",
              `${answer.utterances.length} utterances analysed in ${Math.round(performance.now() - started)} ms`);
  } catch (e) {
    setStatus("conversation-status", e.message, true);
  } finally {
    button.disabled = false;
  }
}

async function analyseRecording(file) {
  setStatus("audio-status", `Analysing ${file.name}…`);
  try {
    const answer = await call("/v1/audio?segments=true&charts=true", file, "application/octet-stream");
    const list = $("segments");
    list.replaceChildren();
    for (const r of answer.results) {
      const when = r.start !== undefined ? `${r.start.toFixed(2)}–${r.end.toFixed(2)} s` : "whole file";
      const item = element("li", { class: "segment", "data-emotion": r.emotion || "" }, when);
      if (r.error) item.append(" error: " + r.error); else item.append(chip(r.emotion));
      list.append(item);
    }
    showCharts("audio-charts", answer.charts);
    setStatus("audio-status", `${answer.results.length} segments of ${file.name}`);
  } catch (e) {
    setStatus("audio-status", e.message, true);
  }
}

$("analyse-conversation").addEventListener("click", analyseConversation);
$("conversation-file").addEventListener("change", async event => {
  const file = event.target.files[0];
  if (!file) return;
  const text = await file.text();
  const type = /\.csv$/i.test(file.name) ? "text/csv" : /\.jsonl$/i.test(file.name) ? "application/jsonl" : "";
  opened = { text, type };
  $("conversation-input").value = text;
});
$("audio-file").addEventListener("change", event => {
  if (event.target.files[0]) analyseRecording(event.target.files[0]);
});
