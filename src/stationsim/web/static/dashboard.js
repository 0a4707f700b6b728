// The run page: a CesiumJS globe whose clock drives the crew list, the port-occupancy timeline
// and the configuration diagram. Everything comes from this server (/api, /cesium): no Cesium
// ion, no outside requests.
(function () {
  "use strict";
  const run = window.STATIONSIM_RUN;
  const api = (path) => `/api/runs/${encodeURIComponent(run.name)}${path}`;
  const SVG = "http://www.w3.org/2000/svg";
  const WINDOW_S = 86400; // one day of CZML is loaded around the clock
  const CONFIGURATION_EVERY_MS = 400;
  const JulianDate = Cesium.JulianDate;

  const start = JulianDate.fromIso8601(run.start_utc);
  const stop = JulianDate.fromIso8601(run.stop_utc);
  const spanS = Math.max(JulianDate.secondsDifference(stop, start), 1);
  const ms = (julian) => JulianDate.toDate(julian).getTime();
  const parseMs = (text) => (text ? Date.parse(text) : Infinity);

  // --- globe --------------------------------------------------------------------------------
  const viewer = new Cesium.Viewer("globe", {
    baseLayer: Cesium.ImageryLayer.fromProviderAsync(
      Cesium.TileMapServiceImageryProvider.fromUrl(
        Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"))),
    baseLayerPicker: false,
    geocoder: false,
    homeButton: false,
    sceneModePicker: false,
    navigationHelpButton: false,
    fullscreenButton: false,
    animation: true,
    timeline: true,
    shouldAnimate: false,
    // Draw only when something changed (time, camera, tiles): an idle page costs no CPU.
    requestRenderMode: true,
    contextOptions: { webgl: { preserveDrawingBuffer: true } },
  });
  const clock = viewer.clock;
  clock.startTime = start.clone();
  clock.stopTime = stop.clone();
  clock.currentTime = start.clone();
  clock.clockRange = Cesium.ClockRange.CLAMPED;
  clock.multiplier = 60;
  viewer.timeline.zoomTo(start, stop);

  let loadedWindow = null;
  let loading = false;
  async function loadCzml(time) {
    if (loading) return;
    loading = true;
    const lo = JulianDate.addSeconds(time, -WINDOW_S / 4, new JulianDate());
    const hi = JulianDate.addSeconds(time, (3 * WINDOW_S) / 4, new JulianDate());
    const from = JulianDate.lessThan(lo, start) ? start : lo;
    const to = JulianDate.greaterThan(hi, stop) ? stop : hi;
    const query = `?start=${JulianDate.toIso8601(from, 3)}&stop=${JulianDate.toIso8601(to, 3)}`;
    try {
      const source = await Cesium.CzmlDataSource.load(api(`/czml${query}&step_s=60`));
      // The viewer would take over the window's clock: keep the run's clock as it is.
      const kept = { now: clock.currentTime.clone(), multiplier: clock.multiplier,
                     animate: clock.shouldAnimate };
      viewer.dataSources.removeAll();
      await viewer.dataSources.add(source);
      viewer.clockTrackedDataSource = undefined;
      clock.startTime = start.clone();
      clock.stopTime = stop.clone();
      clock.clockRange = Cesium.ClockRange.CLAMPED;
      clock.currentTime = kept.now;
      clock.multiplier = kept.multiplier;
      clock.shouldAnimate = kept.animate;
      viewer.timeline.zoomTo(start, stop);
      loadedWindow = { from, to };
      document.body.dataset.czmlLoaded = "true";
    } catch (error) {
      document.body.dataset.czmlError = String(error);
    } finally {
      loading = false;
    }
  }

  function outsideWindow(time) {
    return !loadedWindow || JulianDate.lessThan(time, loadedWindow.from)
      || JulianDate.greaterThan(time, loadedWindow.to);
  }

  // --- clock bar ------------------------------------------------------------------------------
  const slider = document.getElementById("time-slider");
  const clockText = document.getElementById("clock-utc");
  slider.addEventListener("input", () => {
    clock.shouldAnimate = false;
    clock.currentTime = JulianDate.addSeconds(start, (spanS * slider.value) / slider.max,
                                              new JulianDate());
    refresh(true);
  });

  // --- crew -----------------------------------------------------------------------------------
  let stays = [];
  let crewKey = null;
  function showCrew(nowMs) {
    const aboard = stays.filter((s) => s.arrivedMs <= nowMs && nowMs < s.departedMs);
    const key = aboard.map((s) => s.person).join("|");
    if (key === crewKey) return;
    crewKey = key;
    const list = document.getElementById("crew");
    list.replaceChildren(...aboard.map((s) => {
      const item = document.createElement("li");
      item.textContent = `${s.person} (${s.agency || "?"}), ${s.station}`;
      return item;
    }));
    document.getElementById("crew-count").textContent = `${aboard.length}`;
  }

  // --- port-occupancy timeline ------------------------------------------------------------------
  const timeline = document.getElementById("timeline");
  const ROW_H = 24;
  const LEFT = 170;
  const WIDTH = 1200;
  let bars = [];
  let cursor = null;
  const xOf = (t) => LEFT + ((t - ms(start)) / (spanS * 1000)) * (WIDTH - LEFT - 10);

  function svg(tag, attributes, parent) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (parent) parent.appendChild(element);
    return element;
  }

  function text(content, attributes, parent) {
    const element = svg("text", attributes, parent);
    element.textContent = content;
    return element;
  }

  function drawTimeline(flights) {
    const docked = flights.filter((f) => f.dock_utc);
    const ports = [...new Set(docked.map((f) => `${f.station}:${f.port}`))].sort();
    const height = 30 + ROW_H * Math.max(ports.length, 1);
    timeline.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    timeline.setAttribute("height", height);
    timeline.replaceChildren();
    ports.forEach((port, row) => {
      text(port, { x: LEFT - 6, y: 20 + row * ROW_H + ROW_H / 2, class: "axis-label",
                   "text-anchor": "end", "dominant-baseline": "middle" }, timeline);
    });
    const ticks = 6;
    const short = spanS < 10 * 86400; // under ten days: date and hour
    for (let k = 0; k <= ticks; k += 1) {
      const t = ms(start) + (k / ticks) * spanS * 1000;
      const iso = new Date(t).toISOString();
      text(short ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10),
           { x: xOf(t), y: 12, class: "axis-label", "text-anchor": "middle" }, timeline);
    }
    bars = docked.map((f) => {
      const row = ports.indexOf(`${f.station}:${f.port}`);
      const from = parseMs(f.dock_utc);
      const to = Math.min(parseMs(f.undock_utc), ms(stop));
      const group = svg("g", { class: "flight", "data-flight": f.flight }, timeline);
      const rect = svg("rect", { x: xOf(from), y: 20 + row * ROW_H + 3,
                                 width: Math.max(xOf(to) - xOf(from), 2), height: ROW_H - 6,
                                 class: "bar", rx: 3 }, group);
      text(`${f.flight}: ${f.dock_utc.slice(0, 16)} to ${(f.undock_utc || "end").slice(0, 16)}`,
           {}, svg("title", {}, group));
      text(f.flight, { x: xOf(from) + 4, y: 20 + row * ROW_H + ROW_H / 2 + 1,
                       class: "bar-label", "dominant-baseline": "middle" }, group);
      group.addEventListener("click", () => {
        clock.currentTime = JulianDate.fromIso8601(f.dock_utc);
        refresh(true);
      });
      return { rect, from, to };
    });
    cursor = svg("line", { x1: LEFT, x2: LEFT, y1: 16, y2: height, class: "cursor" }, timeline);
  }

  function showTimeline(nowMs) {
    if (!cursor) return;
    const x = xOf(nowMs);
    cursor.setAttribute("x1", x);
    cursor.setAttribute("x2", x);
    for (const bar of bars) {
      bar.rect.classList.toggle("active", bar.from <= nowMs && nowMs < bar.to);
    }
  }

  // --- configuration diagram --------------------------------------------------------------
  const DIRECTIONS = [["forward", [1, 0]], ["aft", [-1, 0]], ["plus-y", [0, -1]],
                      ["minus-y", [0, 1]], ["plus-z", [0.55, -0.8]], ["minus-z", [-0.55, 0.8]],
                      ["zenith", [0, -1]], ["nadir", [0, 1]]];
  const STEP_X = 125;
  const STEP_Y = 62;

  function portDirection(port, inherited, used) {
    const name = (port || "").split(".").pop().toLowerCase();
    for (const [key, direction] of DIRECTIONS) if (name.includes(key)) return direction;
    if (name.includes("axial") && inherited) return inherited;
    for (const [, direction] of DIRECTIONS) {
      if (!used.has(direction.join())) return direction;
    }
    return [1, 1];
  }

  function layoutStation(station, top) {
    const place = new Map();
    const heading = new Map();
    const used = new Map();
    const taken = [];
    const modules = new Map(station.modules.map((m) => [m.module, m.at]));
    // A box is about 0.9 of a column wide and 0.4 of a row high.
    const free = (x, y) => taken.every(([u, v]) => Math.abs(u - x) >= 0.9
                                                   || Math.abs(v - y) >= 0.5);
    const put = (name, x, y) => {
      place.set(name, [x, y]);
      taken.push([x, y]);
      used.set(name, new Set());
    };
    // Attach every module whose parent is placed; a module whose parent is unknown starts a
    // new row below (drawn dashed: its attachment is not recorded).
    const attachAll = () => {
      for (let pass = 0; pass < modules.size; pass += 1) {
        for (const [name, at] of modules) {
          if (place.has(name) || !at) continue;
          const parent = at.split(".")[0];
          if (!place.has(parent)) continue;
          const direction = portDirection(at, heading.get(parent), used.get(parent));
          used.get(parent).add(direction.join());
          let [x, y] = place.get(parent);
          do { x += direction[0]; y += direction[1]; } while (!free(x, y));
          heading.set(name, direction);
          put(name, x, y);
        }
      }
    };
    const loose = new Set();
    const lowest = () => Math.max(0, ...[...place.values()].map((p) => p[1]));
    for (const [name, at] of modules) {
      if (place.has(name)) continue;
      const rooted = !at && !place.size;
      if (!rooted && at && modules.has(at.split(".")[0])) continue; // placed with its parent
      if (!rooted) loose.add(name);
      put(name, 0, place.size ? lowest() + 1.6 : 0);
      attachAll();
    }
    for (const name of modules.keys()) {  // cycles or parents never placed
      if (!place.has(name)) {
        loose.add(name);
        put(name, 0, lowest() + 1.6);
        attachAll();
      }
    }
    const vehicles = station.docked.map((d) => {
      const module = (d.port || "").split(".")[0];
      if (!place.has(module)) put(module, 0, lowest() + 1.6);
      const base = place.get(module);
      const direction = portDirection(d.port, heading.get(module), used.get(module));
      used.get(module).add(direction.join());
      // A vehicle's circle is small: it only has to clear the boxes around its own module.
      const clear = (x, y) => taken.every(([u, v]) => (u === base[0] && v === base[1])
                                          || Math.abs(u - x) >= 0.5 || Math.abs(v - y) >= 0.4);
      let [x, y] = base;
      do { x += direction[0] * 0.8; y += direction[1] * 0.8; } while (!clear(x, y));
      taken.push([x, y]);
      return { flight: d.flight, port: d.port, from: base, at: [x, y] };
    });
    return { place, modules, vehicles, loose, top };
  }

  function drawConfiguration(configuration) {
    const canvas = document.getElementById("configuration");
    canvas.replaceChildren();
    const points = [];
    let top = 0;
    for (const station of configuration.stations) {
      const layout = layoutStation(station, top);
      const position = ([x, y]) => [x * STEP_X, (y + top) * STEP_Y];
      text(station.station, { x: 0, y: (top - 0.7) * STEP_Y, class: "axis-label",
                              "font-weight": "bold" }, canvas);
      for (const [name, at] of layout.modules) {
        if (!at || !layout.place.has(at.split(".")[0]) || layout.loose.has(name)) continue;
        const [x1, y1] = position(layout.place.get(at.split(".")[0]));
        const [x2, y2] = position(layout.place.get(name));
        svg("line", { x1, y1, x2, y2, class: "link" }, canvas);
      }
      for (const vehicle of layout.vehicles) {
        const [x1, y1] = position(vehicle.from);
        const [x2, y2] = position(vehicle.at);
        svg("line", { x1, y1, x2, y2, class: "link", "stroke-dasharray": "4 3" }, canvas);
      }
      for (const [name, xy] of layout.place) {
        const [x, y] = position(xy);
        const group = svg("g", { class: "module", "data-module": name }, canvas);
        svg("rect", { x: x - 56, y: y - 13, width: 112, height: 26, rx: 4,
                      "stroke-dasharray": layout.loose.has(name) ? "3 2" : "none" }, group);
        text(name, { x, y }, group);
        text(`${name} at ${layout.modules.get(name) || "(root or not recorded)"}`, {},
             svg("title", {}, group));
        points.push([x, y]);
      }
      for (const vehicle of layout.vehicles) {
        const [x, y] = position(vehicle.at);
        const group = svg("g", { class: "vehicle", "data-flight": vehicle.flight }, canvas);
        svg("circle", { cx: x, cy: y, r: 9 }, group);
        text(vehicle.flight, { x, y: y + 19 }, group);
        text(`${vehicle.flight} at ${vehicle.port}`, {}, svg("title", {}, group));
        points.push([x, y + 19]);
      }
      const rows = [...layout.place.values()].map((p) => p[1]);
      top += Math.max(...rows, 0) - Math.min(...rows, 0) + 3;
    }
    if (!points.length) {
      text("no modules or docked vehicles recorded", { x: 10, y: 20, class: "axis-label" },
           canvas);
      canvas.setAttribute("viewBox", "0 0 400 40");
      return;
    }
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const x0 = Math.min(...xs) - 70;
    const y0 = Math.min(...ys) - 60;
    canvas.setAttribute("viewBox",
      `${x0} ${y0} ${Math.max(...xs) + 70 - x0} ${Math.max(...ys) + 30 - y0}`);
  }

  let configurationAsked = 0;
  let configurationShownMs = null;
  async function showConfiguration(nowMs, force) {
    const wallMs = Date.now();
    if (!force && (wallMs - configurationAsked < CONFIGURATION_EVERY_MS
                   || configurationShownMs === nowMs)) return;
    configurationAsked = wallMs;
    configurationShownMs = nowMs;
    const at = new Date(nowMs).toISOString();
    const answer = await fetch(api(`/configuration?at=${at}`));
    if (answer.ok) drawConfiguration(await answer.json());
  }

  // --- supply: days of each stock left, and the gaps in presence ---------------------------
  const LOW_SUPPLY_DAYS = 30; // under a month of a stock is flagged
  let supplyAsked = 0;
  let supplyShownMs = null;
  function drawSupply(supply) {
    const table = document.getElementById("supply");
    table.replaceChildren(...supply.stations.flatMap((station) => station.resources.map((r) => {
      const row = document.createElement("tr");
      const low = r.days !== null && r.days < LOW_SUPPLY_DAYS;
      row.className = r.stock_kg <= 0 ? "out" : low ? "low" : "";
      for (const cell of [`${station.station} ${r.resource}`, `${Math.round(r.stock_kg)} kg`,
                          r.days === null ? "not in use" : `${r.days.toFixed(1)} d`]) {
        row.appendChild(document.createElement("td")).textContent = cell;
      }
      return row;
    })));
    const gapNow = supply.stations.filter((s) => s.in_gap).map((s) => s.station);
    const flag = document.getElementById("supply-gap");
    flag.hidden = !gapNow.length;
    flag.textContent = `nobody aboard ${gapNow.join(", ")}`;
    const nowMs = Date.parse(supply.at_utc);
    document.getElementById("gaps").replaceChildren(...supply.gaps.map((g) => {
      const item = document.createElement("li");
      const to = g.to_utc ? g.to_utc.slice(0, 10) : "end of run";
      item.textContent = `gap in presence: ${g.station} ${g.from_utc.slice(0, 10)} to ${to}`;
      item.classList.toggle("active", Date.parse(g.from_utc) <= nowMs
                            && (!g.to_utc || nowMs < Date.parse(g.to_utc)));
      return item;
    }));
  }

  async function showSupply(nowMs, force) {
    const wallMs = Date.now();
    if (!force && (wallMs - supplyAsked < CONFIGURATION_EVERY_MS || supplyShownMs === nowMs)) {
      return;
    }
    supplyAsked = wallMs;
    supplyShownMs = nowMs;
    const answer = await fetch(api(`/supply?at=${new Date(nowMs).toISOString()}`));
    if (answer.ok) drawSupply(await answer.json());
  }

  // --- the clock drives everything -------------------------------------------------------
  function refresh(force) {
    const now = clock.currentTime;
    const nowMs = ms(now);
    clockText.textContent = `${JulianDate.toIso8601(now, 0)} UTC`;
    if (document.activeElement !== slider) {
      slider.value = Math.round((JulianDate.secondsDifference(now, start) / spanS) * slider.max);
    }
    showCrew(nowMs);
    showTimeline(nowMs);
    showConfiguration(nowMs, force);
    showSupply(nowMs, force);
    if (outsideWindow(now)) loadCzml(now);
  }

  Promise.all([fetch(api("/crew")).then((r) => r.json()),
               fetch(api("/flights")).then((r) => r.json())]).then(([crew, flights]) => {
    stays = crew.map((s) => ({ ...s, arrivedMs: parseMs(s.arrived_utc),
                               departedMs: parseMs(s.departed_utc) }));
    drawTimeline(flights);
    clock.onTick.addEventListener(() => refresh(false));
    refresh(true);
    document.body.dataset.ready = "true";
  });
  window.stationsimViewer = viewer;
})();
