/* Expert-session player: a click-to-load poster (nothing is fetched from the video host before
   the learner asks), then the player the server's embed address names, driven through the
   provider's postMessage protocol (YouTube, Vimeo) or a <video> element, and a tracker that
   turns playback positions into watched intervals. The server merges, caps and rate-checks
   the intervals; this file only reports what was played. */
(function () {
  'use strict';
  var ORIGINS = {youtube: 'https://www.youtube-nocookie.com', vimeo: 'https://player.vimeo.com'};
  var JOIN_GAP = 3; // seconds: a larger jump between two positions is a seek, not playback
  var counter = 0;

  /* Consecutive positions become intervals; a seek starts a new one. */
  function Tracker() {
    this.pending = [];
    this.last = null;
  }
  Tracker.prototype.sample = function (seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds) || seconds < 0) { return; }
    var last = this.last;
    var current = this.pending[this.pending.length - 1];
    if (last !== null && seconds > last && seconds - last <= JOIN_GAP && current && current[1] === last) {
      current[1] = seconds;
    } else if (last === null || seconds !== last) {
      this.pending.push([seconds, seconds]);
    }
    this.last = seconds;
  };
  Tracker.prototype.take = function () {
    var out = this.pending.filter(function (pair) { return pair[1] > pair[0]; }).slice(-50);
    this.pending = this.last === null ? [] : [[this.last, this.last]];
    return out;
  };
  Tracker.prototype.putBack = function (intervals) {
    this.pending = intervals.concat(this.pending).slice(-50);
  };

  function message(frame, origin, data) {
    if (frame.contentWindow) { frame.contentWindow.postMessage(JSON.stringify(data), origin); }
  }

  function parse(event) {
    if (typeof event.data !== 'string') { return event.data || {}; }
    try { return JSON.parse(event.data); } catch (error) { return {}; }
  }

  /* YouTube's iframe protocol (what its iframe_api script speaks): "listening", then
     infoDelivery messages with currentTime and playerState (0 ended, 1 playing, 2 paused). */
  function youtube(frame, hooks) {
    var id = 'asn-es-yt-' + (++counter);
    var origin = ORIGINS.youtube;
    frame.addEventListener('load', function () { message(frame, origin, {event: 'listening', id: id, channel: 'widget'}); });
    window.addEventListener('message', function (event) {
      if (event.source !== frame.contentWindow || event.origin !== origin) { return; }
      var data = parse(event);
      var info = data.info;
      if (data.event === 'infoDelivery' && info && typeof info === 'object') {
        if (typeof info.currentTime === 'number') { hooks.time(info.currentTime); }
        if (info.playerState === 0 || info.playerState === 2) { hooks.stopped(); }
      } else if (data.event === 'onStateChange' && (info === 0 || info === 2)) {
        hooks.stopped();
      }
    });
    return function seek(seconds) {
      message(frame, origin, {event: 'command', func: 'seekTo', args: [seconds, true], id: id, channel: 'widget'});
      message(frame, origin, {event: 'command', func: 'playVideo', args: [], id: id, channel: 'widget'});
    };
  }

  /* Vimeo's player postMessage API: subscribe after "ready"; timeupdate carries seconds. */
  function vimeo(frame, hooks) {
    var origin = ORIGINS.vimeo;
    window.addEventListener('message', function (event) {
      if (event.source !== frame.contentWindow || event.origin !== origin) { return; }
      var data = parse(event);
      if (data.event === 'ready') {
        ['timeupdate', 'pause', 'ended'].forEach(function (name) {
          message(frame, origin, {method: 'addEventListener', value: name});
        });
      } else if (data.event === 'timeupdate' && data.data) {
        hooks.time(data.data.seconds);
      } else if (data.event === 'pause' || data.event === 'ended') {
        hooks.stopped();
      }
    });
    return function seek(seconds) {
      message(frame, origin, {method: 'setCurrentTime', value: seconds});
      message(frame, origin, {method: 'play'});
    };
  }

  function html5(video, hooks) {
    video.addEventListener('timeupdate', function () { hooks.time(video.currentTime); });
    video.addEventListener('pause', hooks.stopped);
    video.addEventListener('ended', hooks.stopped);
    return function seek(seconds) { video.currentTime = seconds; video.play(); };
  }

  /* Build the player for `info` ({provider, embed_url, title}) inside `box`; `hooks.time(seconds)`
     gets every position, `hooks.stopped()` a pause or the end. Returns seek(seconds). */
  function load(box, info, hooks, tracks) {
    var el = window.AsnXBlocksApi.el;
    var player;
    if (info.provider === 'html5') {
      player = el('video', {src: info.embed_url, controls: '', preload: 'metadata', 'aria-label': info.title});
      (tracks || []).forEach(function (track, index) {
        var attrs = {kind: 'captions', src: track.src, srclang: track.lang, label: track.lang};
        if (index === 0) { attrs['default'] = ''; }
        player.appendChild(el('track', attrs));
      });
    } else {
      var src = info.embed_url + (info.embed_url.indexOf('?') < 0 ? '?' : '&') +
        (info.provider === 'youtube' ? 'enablejsapi=1&origin=' + encodeURIComponent(window.location.origin) : 'api=1');
      player = el('iframe', {src: src, title: info.title, allow: 'fullscreen; encrypted-media; picture-in-picture',
        allowfullscreen: '', referrerpolicy: 'strict-origin-when-cross-origin',
        sandbox: 'allow-scripts allow-same-origin allow-presentation'});
    }
    player.className = 'asn-es-player-frame';
    box.textContent = '';
    box.appendChild(player);
    player.focus();
    var drive = {youtube: youtube, vimeo: vimeo, html5: html5}[info.provider];
    return drive(player, hooks);
  }

  window.AsnExpertPlayer = {Tracker: Tracker, load: load};
}());
