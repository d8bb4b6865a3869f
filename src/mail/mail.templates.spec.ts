import * as templates from './mail.templates';

describe('mail templates', () => {
  const c = { site: 'app.example.com' };
  const link = 'https://app.example.com/verify-email?token=a.b';

  it('puts each link on a line of its own in the text part, and as an escaped link in the HTML part', () => {
    for (const mail of [
      templates.verifyEmail(c, link, 3 * 86_400),
      templates.passwordReset(c, link, 3600),
      templates.emailChangeConfirm(c, link, 3 * 86_400),
    ]) {
      expect(mail.text.split('\n')).toContain(link);
      expect(mail.html).toContain(`<a href="${link}">${link}</a>`);
    }
  });

  it('says how long a link works and escapes what the user typed', () => {
    expect(templates.verifyEmail(c, link, 3 * 86_400).text).toContain('works for 3 days');
    const notice = templates.emailChangeRequested(c, '<b>x</b>@example.org');
    expect(notice.html).toContain('&lt;b&gt;x&lt;/b&gt;@example.org');
    expect(notice.html).not.toContain('<b>');
  });

  it('has subjects a user recognises', () => {
    expect(
      [
        templates.verifyEmail(c, link, 1),
        templates.passwordReset(c, link, 1),
        templates.passwordChanged(c, new Date(0)),
        templates.emailChangeConfirm(c, link, 1),
        templates.emailChangeRequested(c, 'new@example.org'),
        templates.emailChanged(c, 'new@example.org'),
      ].map((m) => m.subject),
    ).toEqual([
      'Confirm your email address for app.example.com',
      'Reset your password for app.example.com',
      'Your app.example.com password was changed',
      'Confirm your new email address for app.example.com',
      'A change of your app.example.com email address was requested',
      'Your app.example.com email address was changed',
    ]);
  });
});
