// The gallery's web page: every request carries the API key the user typed, kept in sessionStorage (for this tab,
// until it is closed). Face crops are fetched with the key too and shown through object URLs.
"use strict";

const keyName = "visage-api-key";
const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(text, isError = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

// A request to the API with the key; throws an Error carrying the service's JSON message for a 4xx or 5xx.
async function api(path, options = {}) {
  const key = sessionStorage.getItem(keyName);
  if (!key) throw new Error("enter the API key first");
  const headers = Object.assign({ "x-api-key": key }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body.error && body.error.message) message = body.error.message;
    } catch (_) { /* not JSON: keep the status line */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response;
}

// An <img> of a stored face, or a note saying why it cannot be shown (e.g. the photo was not kept).
function faceCrop(face) {
  const holder = element("span", "crop");
  holder.dataset.face = face;
  api(`/faces/${face}/crop`)
    .then((response) => response.blob())
    .then((blob) => {
      const img = element("img");
      img.alt = `face ${face}`;
      img.src = URL.createObjectURL(blob);
      holder.replaceChildren(img);
    })
    .catch((error) => {
      holder.classList.add("no-crop");
      holder.textContent = "no photo";
      holder.title = error.message;
    });
  return holder;
}

// The uploaded photo's face `box` ([left, top, right, bottom]) cut from the drawn photo.
function probeCrop(canvas, box) {
  const [left, top, right, bottom] = box;
  const width = Math.max(1, right - left + 1), height = Math.max(1, bottom - top + 1);
  const crop = element("canvas", "probe-crop");
  const scale = 96 / Math.max(width, height);
  crop.width = Math.round(width * scale);
  crop.height = Math.round(height * scale);
  crop.getContext("2d").drawImage(canvas, left, top, width, height, 0, 0, crop.width, crop.height);
  return crop;
}

async function drawPhoto(file, canvas) {
  const bitmap = await createImageBitmap(file);
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  canvas.hidden = false;
}

async function identify() {
  const file = $("#photo").files[0];
  if (!file) return;
  const matches = $("#matches");
  matches.replaceChildren();
  $("#identify-summary").textContent = `searching ${file.name}…`;
  const canvas = $("#probe-canvas");
  try {
    await drawPhoto(file, canvas).catch(() => { canvas.hidden = true; });
    const form = new FormData();
    form.append("file", file);
    const answer = await (await api("/identify?top_k=5", { method: "POST", body: form })).json();
    $("#identify-summary").textContent =
      `${answer.faces.length} face(s) in ${file.name}; ${answer.engine}, open-set threshold ${answer.threshold.toFixed(4)}`;
    answer.faces.forEach((face, index) => {
      const result = element("div", "face-result");
      result.dataset.decision = face.decision === null ? "" : face.decision;
      const head = element("div", "face-head");
      if (!canvas.hidden) head.append(probeCrop(canvas, face.box));
      const decision = element("p", "decision");
      decision.append(`face ${index + 1}: `,
        element("strong", face.decision === null ? "unknown" : "known", face.decision === null ? "unknown" : face.decision));
      head.append(decision);
      result.append(head);
      const list = element("ol", "candidates");
      for (const candidate of face.candidates) {
        const item = element("li", "candidate");
        item.classList.toggle("accepted", candidate.score >= answer.threshold);
        item.append(faceCrop(candidate.face), element("span", "person", candidate.person),
          element("span", "score", candidate.score.toFixed(4)));
        list.append(item);
      }
      result.append(list);
      matches.append(result);
    });
  } catch (error) {
    $("#identify-summary").textContent = `${file.name}: ${error.message}`;
  }
}

async function enroll(event) {
  event.preventDefault();
  const file = $("#enroll-photo").files[0];
  if (!file) return;
  const person = $("#enroll-person").value.trim();
  const form = new FormData();
  form.append("file", file);
  if (person) form.append("person", person);
  try {
    const answer = await (await api("/enroll", { method: "POST", body: form })).json();
    $("#enroll-result").textContent = answer.stored
      ? `${file.name}: ${answer.faces} face(s) stored${person ? `, the largest as ${person}` : ""}`
      : `${file.name} is already stored as ${answer.duplicateOf}`;
    await loadPeople();
  } catch (error) {
    $("#enroll-result").textContent = `${file.name}: ${error.message}`;
  }
}

async function showPerson(name) {
  const panel = $("#person-faces");
  panel.replaceChildren(element("h3", "", name));
  try {
    const faces = await (await api(`/faces?person=${encodeURIComponent(name)}`)).json();
    const strip = element("div", "strip");
    for (const face of faces) {
      const figure = element("figure");
      figure.append(faceCrop(face.face), element("figcaption", "", face.photo.split("/").pop()));
      strip.append(figure);
    }
    panel.append(strip);
  } catch (error) {
    panel.append(element("p", "error", error.message));
  }
}

async function loadPeople() {
  const list = $("#people");
  try {
    const people = await (await api("/people")).json();
    list.replaceChildren(...people.map((person) => {
      const item = element("li", "person");
      item.dataset.name = person.name;
      const button = element("button", "person-name", person.name);
      button.type = "button";
      button.addEventListener("click", () => showPerson(person.name));
      item.append(button, element("span", "count", `${person.faces} face(s)`));
      return item;
    }));
    if (people.length === 0) list.replaceChildren(element("li", "empty", "nobody enrolled yet"));
  } catch (error) {
    list.replaceChildren(element("li", "error", error.message));
  }
}

async function nameCluster(label, input) {
  const person = input.value.trim();
  if (!person) return;
  try {
    const answer = await (await api(`/clusters/${label}/name?person=${encodeURIComponent(person)}`, { method: "POST" })).json();
    setStatus(`cluster ${answer.label}: ${answer.faces} face(s) now belong to ${answer.person}`);
    await Promise.all([loadClusters(), loadPeople()]);
  } catch (error) {
    setStatus(`cluster ${label}: ${error.message}`, true);
  }
}

async function loadClusters() {
  const holder = $("#clusters");
  try {
    const clusters = await (await api("/clusters")).json();
    holder.replaceChildren(...clusters.map((cluster) => {
      const box = element("div", "cluster");
      box.dataset.label = cluster.label;
      box.append(element("h3", "", `Cluster ${cluster.label}: ${cluster.faces.length} face(s)`));
      const strip = element("div", "strip");
      for (const face of cluster.faces.slice(0, 8)) strip.append(faceCrop(face));
      box.append(strip);
      const form = element("form", "name-form");
      const input = element("input", "cluster-name");
      input.type = "text";
      input.placeholder = "who is this?";
      const button = element("button", "name-cluster", "Name");
      button.type = "submit";
      form.append(input, button);
      form.addEventListener("submit", (event) => { event.preventDefault(); nameCluster(cluster.label, input); });
      box.append(form);
      return box;
    }));
    if (clusters.length === 0) holder.replaceChildren(element("p", "empty", "no unnamed cluster"));
  } catch (error) {
    holder.replaceChildren(element("p", "error", error.message));
  }
}

async function useKey(event) {
  if (event) event.preventDefault();
  const key = $("#api-key").value;
  if (!key) return;
  sessionStorage.setItem(keyName, key);
  try {
    await api("/people");
    setStatus("key accepted");
    await Promise.all([loadPeople(), loadClusters()]);
  } catch (error) {
    setStatus(error.message, true);
  }
}

$("#key-form").addEventListener("submit", useKey);
$("#photo").addEventListener("change", identify);
$("#enroll-form").addEventListener("submit", enroll);
$("#refresh-people").addEventListener("click", loadPeople);
$("#refresh-clusters").addEventListener("click", loadClusters);
if (sessionStorage.getItem(keyName)) {
  $("#api-key").value = sessionStorage.getItem(keyName);
  useKey();
}
