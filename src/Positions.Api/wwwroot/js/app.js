import { registries } from "./api.js";
import { escapeHtml } from "./format.js";
import { readState } from "./state.js";
import { html, setTitle } from "./ui.js";
import { showActor } from "./actor.js";
import { showLanding, stopLive } from "./landing.js";
import { showTimeline } from "./timeline.js";
import { showTopicMap } from "./topic-map.js";
import { showWebhooks } from "./webhooks.js";

async function route() {
  const main = document.querySelector("main");
  const state = readState();
  stopLive();
  try {
    const reg = await registries();
    if (state.view === "webhooks") await showWebhooks(main, reg);
    else if (state.actor && state.topic) await showTimeline(main, state, reg);
    else if (state.topic) await showTopicMap(main, state, reg);
    else if (state.actor) await showActor(main, state, reg);
    else await showLanding(main, reg);
  } catch (error) {
    setTitle("Not available");
    main.innerHTML = html`<h1>Not available</h1><p class="error" role="alert">${escapeHtml(error.message)}</p>
      <p><a href="./">Back to recent shifts</a></p>`;
  }
}

// Plot and d3 are classic deferred scripts: they have run before this module does.
window.addEventListener("popstate", route);
route();
