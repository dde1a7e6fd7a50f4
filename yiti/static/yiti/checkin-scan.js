// 扫码签到 on the check-in page (activities/checkin.html): read the registration's QR with the phone's rear camera,
// or from a photo where the browser refuses the camera (getUserMedia needs HTTPS or localhost), then submit what it
// says through the same form as typing — the server checks it in or refuses it. Without JavaScript the typed code
// still works, so the scanner stays hidden until this file runs.
(function () {
  "use strict";
  var box = document.getElementById("scan");
  var form = document.getElementById("checkin-form");
  if (!box || !form) { return; }
  var input = document.getElementById("id_code");
  var video = document.getElementById("scan-video");
  var view = document.getElementById("scan-view");
  var message = document.getElementById("scan-message");
  var canvas = document.createElement("canvas");
  var stream = null;
  var detector = null;   // the browser's BarcodeDetector where it reads QR codes, else jsQR (loaded on first need)
  var jsqrLoading = null;
  var done = false;

  function say(key) {
    message.textContent = key ? message.getAttribute("data-" + key) : "";
    message.classList.toggle("d-none", !key);
  }

  function loadJsqr() {
    if (window.jsQR) { return Promise.resolve(); }
    if (!jsqrLoading) {
      jsqrLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = box.getAttribute("data-jsqr");   // served from our static files: the CSP's script-src 'self'
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return jsqrLoading;
  }

  function ready() {
    if (detector !== null) { return Promise.resolve(); }
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        detector = formats.indexOf("qr_code") !== -1 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : false;
        return detector ? null : loadJsqr();
      }, function () { detector = false; return loadJsqr(); });
    }
    detector = false;
    return loadJsqr();
  }

  // The QR's text in `source` (a video frame or an image bitmap) of the given size, or null.
  function decode(source, width, height) {
    if (detector) {
      return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    var scale = Math.min(1, 1280 / Math.max(width, height));   // a phone's 12-megapixel photo decodes slowly
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
    return Promise.resolve(found && found.data ? found.data : null);
  }

  function submit(text) {
    if (done) { return; }
    done = true;
    stop();
    input.value = text;   // the check-in address or the bare code: the server reads either
    form.submit();
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.srcObject = null;
    view.classList.add("d-none");
  }

  function tick() {
    if (!stream || done) { return; }
    var next = function () { window.setTimeout(tick, 200); };
    if (video.readyState < 2 || !video.videoWidth) { next(); return; }
    decode(video, video.videoWidth, video.videoHeight).then(function (text) {
      if (text) { submit(text); } else { next(); }
    }, next);
  }

  document.getElementById("scan-start").addEventListener("click", function () {
    if (stream) { return; }   // already scanning
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("no-camera"); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (opened) {
        stream = opened;   // kept first, so that stop() releases the camera whatever fails next
        video.srcObject = stream;
        view.classList.remove("d-none");
        say("scanning");
        return Promise.all([ready(), video.play()]);
      })
      .then(tick, function () { stop(); say("no-camera"); });
  });

  document.getElementById("scan-stop").addEventListener("click", function () { stop(); say(null); });

  document.getElementById("scan-photo").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) { return; }
    stop();
    say(null);
    ready()
      .then(function () { return window.createImageBitmap(file); })
      .then(function (bitmap) { return decode(bitmap, bitmap.width, bitmap.height); })
      .then(function (text) { if (text) { submit(text); } else { say("not-found"); } },
            function () { say("not-found"); })
      .then(function () { event.target.value = ""; });   // the same photo may be chosen again
  });

  box.classList.remove("d-none");
}());
