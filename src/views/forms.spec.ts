import { alert, card } from './components';
import { checkbox, field, postForm } from './forms';
import { attrs, html } from './html';
import { layout } from './layout';

describe(field.name, () => {
  it('ties the label to the input and escapes what it shows', () => {
    const sut = field({
      name: 'email',
      label: 'E<mail>',
      type: 'email',
      value: '"><script>',
    }).value;
    expect(sut).toContain('<label for="email">E&lt;mail&gt;</label>');
    expect(sut).toContain(
      '<input id="email" type="email" name="email" value="&quot;&gt;&lt;script&gt;" required />',
    );
  });

  it('describes the input by its hint and error, and marks it invalid', () => {
    const sut = field({
      name: 'password',
      label: 'Password',
      hint: '8+',
      error: 'too short',
    }).value;
    expect(sut).toContain('aria-describedby="password-hint password-error" aria-invalid="true"');
    expect(sut).toContain('<p class="hint" id="password-hint">8+</p>');
    expect(sut).toContain('<p class="field-error" id="password-error">too short</p>');
  });

  it('takes an id for a second field of the same name, and extra attributes', () => {
    const sut = field({
      name: 'password',
      id: 'email-password',
      label: 'Password',
      attributes: { required: false, autocomplete: 'current-password' },
    }).value;
    expect(sut).toContain('<label for="email-password">');
    expect(sut).toContain(
      '<input id="email-password" type="text" name="password" autocomplete="current-password" />',
    );
  });
});

describe(checkbox.name, () => {
  it('puts its label after the box, tied to it', () => {
    const sut = checkbox({ name: 'remember', label: 'Remember me', checked: true }).value;
    expect(sut).toMatch(
      /<input id="remember" type="checkbox" name="remember" value="true" checked \/>\s*<label for="remember">Remember me<\/label>/,
    );
  });
});

describe(postForm.name, () => {
  it('posts with the CSRF token in _csrf, as CsrfGuard requires', () => {
    const sut = postForm('/cart/items', 'tok"en', html`<button>Add</button>`).value;
    expect(sut).toMatch(/^<form class="stack" method="post" action="\/cart\/items">/);
    expect(sut).toContain('<input type="hidden" name="_csrf" value="tok&quot;en" />');
  });
});

describe(alert.name, () => {
  it('announces an error at once and a notice politely', () => {
    expect(alert('wrong <code>').value).toBe(
      '<p class="error" role="alert">wrong &lt;code&gt;</p>',
    );
    expect(alert('mail sent', 'notice').value).toBe(
      '<p class="notice" role="status">mail sent</p>',
    );
  });
});

describe(card.name, () => {
  it('names its section by its title when it has an id', () => {
    const sut = card({ title: 'Password', id: 'change-password' }, html`<p>x</p>`).value;
    expect(sut).toContain(
      '<section class="card" id="change-password" aria-labelledby="change-password-title">',
    );
    expect(sut).toContain('<h2 id="change-password-title">Password</h2>');
  });
});

describe(attrs.name, () => {
  it('escapes values, keeps true as a bare name and drops false and undefined', () => {
    expect(attrs({ a: 'x"<', b: true, c: false, d: undefined, e: null, f: 0 }).value).toBe(
      ' a="x&quot;&lt;" b f="0"',
    );
  });
});

describe(layout.name, () => {
  const user = { id: 7, email: 'ann@example.com' };

  it('offers Log in and Register to a visitor', () => {
    const sut = layout({ title: 'T', user: null }, html`<p>body</p>`);
    expect(sut).toContain('<a class="button secondary small" href="/login">Log in</a>');
    expect(sut).toContain('href="/register">Register</a>');
    expect(sut).not.toContain('action="/logout"');
  });

  it('shows the signed-in address and a Log out form, and marks the current page', () => {
    const sut = layout({ title: 'T', user, csrf: 'tok', path: '/cart' }, html``);
    expect(sut).toContain('<strong id="who">ann@example.com</strong>');
    expect(sut).toMatch(/action="\/logout">\s*<input type="hidden" name="_csrf" value="tok" \/>/);
    expect(sut).toMatch(/<a href="\/cart"\s+aria-current="page"/);
    expect(sut.match(/aria-current/g)).toHaveLength(1);
  });

  it('links the stylesheet by its version and carries no inline style', () => {
    const sut = layout({ title: 'T', user: null }, html``);
    expect(sut).toMatch(/<link rel="stylesheet" href="\/assets\/app\.css\?v=[0-9a-f]{10}" \/>/);
    expect(sut).not.toMatch(/<style|\sstyle=/);
  });
});
