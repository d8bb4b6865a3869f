import { html } from './html';
import { cartPage } from './pages';

describe(html.name, () => {
  it('escapes interpolated values but keeps nested html', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['<a>', 1]}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;a&gt;1</p>',
    );
  });

  it('shows an item named <script> as text on the cart page', () => {
    const page = cartPage(null, ['<script>alert(1)</script>', '<b>x</b>'], 'tok');
    expect(page).toContain('<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>');
    expect(page).toContain('<li>&lt;b&gt;x&lt;/b&gt;</li>');
    expect(page).not.toContain('<script>alert');
  });
});
