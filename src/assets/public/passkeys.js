// Passkey buttons of the account and login pages. A file, not inline script: the CSP allows only 'self'.
// Uses @simplewebauthn/browser's global (simplewebauthn-browser.js, loaded before this file). JSON posts
// need no CSRF token: a cross-site page cannot send them (no CORS).
(function () {
  'use strict';
  var webauthn = window.SimpleWebAuthnBrowser;

  function status(text) {
    var el = document.getElementById('passkey-status');
    if (el) el.textContent = text;
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      return res.json().then(
        function (json) {
          return { status: res.status, json: json };
        },
        function () {
          return { status: res.status, json: {} };
        },
      );
    });
  }

  function failed(res) {
    var message = (res.json && (res.json.error || res.json.message)) || 'status ' + res.status;
    throw new Error(message);
  }

  function explain(error) {
    if (error && error.name === 'NotAllowedError')
      return 'The passkey prompt was closed or timed out.';
    return (error && error.message) || String(error);
  }

  function supported(button) {
    if (webauthn && webauthn.browserSupportsWebAuthn()) return true;
    button.disabled = true;
    status('This browser does not support passkeys.');
    return false;
  }

  var add = document.getElementById('passkey-add');
  if (add && supported(add)) {
    add.addEventListener('click', function () {
      add.disabled = true;
      status('Follow your browser’s prompt…');
      post('/account/passkeys/options')
        .then(function (res) {
          if (res.status === 401) {
            // Adding a passkey needs a recent password entry: come back here after it.
            window.location.assign(add.getAttribute('data-reauth'));
            return null;
          }
          if (res.status !== 200) failed(res);
          return webauthn.startRegistration({ optionsJSON: res.json }).then(function (response) {
            return post('/account/passkeys', { response: response });
          });
        })
        .then(function (res) {
          if (res === null) return;
          if (res.status !== 201) failed(res);
          window.location.assign('/account');
        })
        .catch(function (error) {
          status('No passkey was added: ' + explain(error));
          add.disabled = false;
        });
    });
  }

  var reauth = document.getElementById('passkey-reauth');
  if (reauth && supported(reauth)) {
    reauth.addEventListener('click', function () {
      reauth.disabled = true;
      status('Follow your browser’s prompt…');
      post('/reauth/passkey/options')
        .then(function (res) {
          if (res.status !== 200) failed(res);
          return webauthn.startAuthentication({ optionsJSON: res.json });
        })
        .then(function (response) {
          return post('/reauth/passkey', { response: response });
        })
        .then(function (res) {
          if (res.status !== 204) failed(res);
          window.location.assign(reauth.getAttribute('data-next') || '/account');
        })
        .catch(function (error) {
          status('Not confirmed: ' + explain(error));
          reauth.disabled = false;
        });
    });
  }

  var signIn = document.getElementById('passkey-sign-in');
  if (signIn && supported(signIn)) {
    signIn.addEventListener('click', function () {
      signIn.disabled = true;
      var remember = document.getElementById('remember');
      status('Follow your browser’s prompt…');
      post('/login/passkey/options')
        .then(function (res) {
          if (res.status !== 200) failed(res);
          return webauthn.startAuthentication({ optionsJSON: res.json });
        })
        .then(function (response) {
          return post('/login/passkey', {
            response: response,
            remember: Boolean(remember && remember.checked),
          });
        })
        .then(function (res) {
          if (res.status !== 200) failed(res);
          window.location.assign(signIn.getAttribute('data-next') || '/dashboard');
        })
        .catch(function (error) {
          status('Not signed in: ' + explain(error));
          signIn.disabled = false;
        });
    });
  }
})();
