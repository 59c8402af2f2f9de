// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ProjectScope, ProjectScopeContext } from '../projects/environment-choice.js';
import { renderUi, respond, type SentRequest } from '../test/render.js';
import { FlagPage } from './flag-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const production = {
  enabled: true,
  rules: [
    {
      id: 'beta',
      type: 'force',
      variant: 'on',
      conditions: [{ segment: 'beta-testers' }],
    },
    { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.25 },
  ],
};
const staging = {
  enabled: true,
  overrides: [{ values: ['qa-1'], variant: 'on' }],
  rules: [{ id: 'everyone', type: 'force', variant: 'on' }],
};

function flagAt(version: number, environments: Record<string, unknown>) {
  return {
    key: 'new-checkout',
    name: 'New checkout',
    description: '',
    type: 'boolean',
    variants: [
      { key: 'off', value: false },
      { key: 'on', value: true },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    tags: [],
    status: 'active',
    version,
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    environments,
  };
}

const flagPath = '/api/v1/projects/shop/flags/new-checkout';
/** Another flag of the project, which can be a prerequisite. */
const loginFlag = {
  ...flagAt(1, {}),
  key: 'new-login',
  name: 'New login',
  variants: [
    { key: 'old', value: false },
    { key: 'new', value: true },
  ],
};

type FlagBody = ReturnType<typeof flagAt>;
/** A write's answer: the flag after it, or a refusal. */
type WriteAnswer = { flag: FlagBody } | { refusal: { status: number; body: unknown } };

/** The API a flag page talks to; `onWrite` answers the writes. */
function api(options: { flag: FlagBody; onWrite?: (request: SentRequest) => WriteAnswer }) {
  let current = options.flag;
  return respond((request) => {
    const { method, path } = request;
    if (method === 'GET' && path === flagPath) return { status: 200, body: current };
    if (method === 'GET' && path.startsWith('/api/v1/projects/shop/segments'))
      return { status: 200, body: { items: [{ key: 'beta-testers' }, { key: 'staff' }], nextCursor: null } };
    if (method === 'GET' && path.startsWith('/api/v1/projects/shop/experiments'))
      return { status: 200, body: { items: [{ key: 'checkout-cta' }], nextCursor: null } };
    if (method === 'GET' && path.startsWith('/api/v1/projects/shop/flags?'))
      return { status: 200, body: { items: [current, loginFlag], nextCursor: null } };
    if (method !== 'GET' && options.onWrite) {
      const answer = options.onWrite(request);
      if ('refusal' in answer) return answer.refusal;
      current = answer.flag;
      return { status: 200, body: current };
    }
    return undefined;
  });
}

function renderFlag(canWrite = true) {
  const scope: ProjectScope = {
    projectKey: 'shop',
    environments: [
      { key: 'staging', name: 'Staging' },
      { key: 'production', name: 'Production' },
    ],
    environment: 'production',
    canWrite,
    canManage: false,
  };
  return renderUi(
    <ProjectScopeContext.Provider value={scope}>
      <Routes>
        <Route path="/projects/shop/flags/:flagKey" element={<FlagPage />} />
      </Routes>
    </ProjectScopeContext.Provider>,
    { path: '/projects/shop/flags/new-checkout' },
  );
}

const ruleNames = () =>
  within(screen.getByRole('list', { name: 'Rules' }))
    .getAllByRole('listitem')
    .map((item) => item.getAttribute('aria-label'));

/** Saving answers with the flag as the PUT makes it. */
function acceptingSaves(version: number) {
  return (request: SentRequest) => {
    const { version: _sent, ...state } = request.body as { version: number };
    return { flag: flagAt(version + 1, { staging, production: state }) };
  };
}

describe('the flag editor', () => {
  it('reorders rules with the keyboard, shows the diff, and saves the new order against the version it started from', async () => {
    const sent = api({ flag: flagAt(4, { staging, production }), onWrite: acceptingSaves(4) });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Move ramp up' }));
    expect(ruleNames()).toEqual(['Rule 1: ramp', 'Rule 2: beta']);
    // Nothing was sent: the change is in the draft.
    expect(sent.filter((request) => request.method !== 'GET')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Review and save 1 change' }));
    const diff = await screen.findByRole('table', { name: 'Changes to save' });
    const row = within(diff).getByRole('row', { name: /rule order/ });
    expect(row.textContent).toContain('beta, ramp');
    expect(row.textContent).toContain('ramp, beta');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(sent.some((request) => request.method === 'PUT')).toBe(true));
    const put = sent.find((request) => request.method === 'PUT');
    expect(put?.path).toBe(`${flagPath}/environments/production`);
    expect(put?.body).toEqual({
      ...production,
      rules: [production.rules[1], production.rules[0]],
      version: 4,
    });
    expect(await screen.findByRole('button', { name: 'No unsaved changes' })).toBeTruthy();
  });

  it('reorders rules by dragging one onto another’s place', async () => {
    api({ flag: flagAt(4, { staging, production }) });
    renderFlag();
    const beta = await screen.findByRole('listitem', { name: 'Rule 1: beta' });
    const ramp = screen.getByRole('listitem', { name: 'Rule 2: ramp' });
    fireEvent.dragStart(beta);
    fireEvent.dragOver(ramp);
    fireEvent.drop(ramp);
    expect(ruleNames()).toEqual(['Rule 1: ramp', 'Rule 2: beta']);
    expect(screen.getByRole('button', { name: 'Review and save 1 change' })).toBeTruthy();
  });

  it('edits a rule in place: the diff names the field that changed, before and after', async () => {
    api({ flag: flagAt(4, { staging, production }) });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Edit ramp' }));
    const form = screen.getByRole('form', { name: 'Edit rule ramp' });
    const percentage = within(form).getByLabelText('Percentage of units');
    await user.clear(percentage);
    await user.type(percentage, '60');
    await user.click(within(form).getByRole('button', { name: 'Apply to draft' }));
    expect(screen.getByText('All units: 60 % get on.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Review and save 1 change' }));
    const line = within(await screen.findByRole('table', { name: 'Changes to save' })).getByRole('row', {
      name: /rule ramp › fraction/,
    });
    expect(line.textContent).toContain('0.25');
    expect(line.textContent).toContain('0.6');
  });

  it('adds a rule with a segment condition and a per-unit override, and saves both', async () => {
    const sent = api({ flag: flagAt(4, { staging, production }), onWrite: acceptingSaves(4) });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Add a rule' }));
    const form = screen.getByRole('form', { name: 'Add a rule' });
    await user.click(within(form).getByRole('button', { name: 'Add condition' }));
    await user.click(within(form).getByRole('combobox', { name: 'Condition 1 operator' }));
    await user.click(await screen.findByRole('option', { name: 'in segment', hidden: true }));
    await user.click(within(form).getByRole('combobox', { name: 'Condition 1 segment' }));
    await user.click(await screen.findByRole('option', { name: 'staff', hidden: true }));
    await user.click(within(form).getByRole('button', { name: 'Add to draft' }));
    expect(ruleNames()).toEqual(['Rule 1: beta', 'Rule 2: ramp', 'Rule 3: rule-3']);

    await user.click(screen.getByRole('button', { name: 'Add override' }));
    await user.click(screen.getByRole('textbox', { name: 'Override 1 values' }));
    await user.paste('qa-1, qa-2');
    await user.click(screen.getByRole('button', { name: 'Review and save 2 changes' }));
    const diff = await screen.findByRole('table', { name: 'Changes to save' });
    expect(within(diff).getByRole('row', { name: /rule rule-3 \(position 3\)/ }).textContent).toContain(
      'staff',
    );
    expect(within(diff).getByRole('row', { name: /override 1/ }).textContent).toContain('qa-2');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(sent.some((request) => request.method === 'PUT')).toBe(true));
    expect(sent.find((request) => request.method === 'PUT')?.body).toMatchObject({
      overrides: [{ values: ['qa-1', 'qa-2'], variant: 'on' }],
      rules: [
        production.rules[0],
        production.rules[1],
        { id: 'rule-3', type: 'force', variant: 'on', conditions: [{ segment: 'staff' }] },
      ],
      version: 4,
    });
  });

  it("shows the API's refusal next to the rule it names, and keeps the draft", async () => {
    api({
      flag: flagAt(4, { staging, production }),
      onWrite: () => ({
        refusal: {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The flag is not valid.',
              details: {
                issues: [
                  { path: '/body/environments/production/rules/1/variant', message: 'no such variant' },
                ],
              },
            },
          },
        },
      }),
    });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Move ramp up' }));
    await user.click(screen.getByRole('button', { name: 'Review and save 1 change' }));
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText(/The flag is not valid/)).length).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: 'Keep editing' }));
    const beta = screen.getByRole('listitem', { name: 'Rule 2: beta' });
    expect(within(beta).getByText(/no such variant/)).toBeTruthy();
    expect(ruleNames()).toEqual(['Rule 1: ramp', 'Rule 2: beta']);
  });

  it('copies the configuration from another environment after showing what it changes', async () => {
    const sent = api({
      flag: flagAt(4, { staging, production }),
      onWrite: () => ({ flag: flagAt(5, { staging, production: staging }) }),
    });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('combobox', { name: 'Copy configuration from' }));
    await user.click(await screen.findByRole('option', { name: 'Staging', hidden: true }));
    await user.click(screen.getByRole('button', { name: 'Review copy' }));
    const diff = await screen.findByRole('table', { name: 'Changes the copy makes' });
    expect(within(diff).getByRole('row', { name: /removed rule beta/ })).toBeTruthy();
    expect(within(diff).getByRole('row', { name: /added rule everyone/ })).toBeTruthy();
    expect(within(diff).getByRole('row', { name: /override 1/ }).textContent).toContain('qa-1');
    await user.click(screen.getByRole('button', { name: 'Copy from Staging' }));

    await waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    const copy = sent.find((request) => request.method === 'POST');
    expect(copy?.path).toBe(`${flagPath}/environments/production/copy`);
    expect(copy?.body).toEqual({ from: 'staging', version: 4 });
    // The page now shows the copied configuration.
    expect(await screen.findByRole('listitem', { name: 'Rule 1: everyone' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'No unsaved changes' })).toBeTruthy();
  });

  it('shows a viewer the configuration with no way to change it', async () => {
    api({ flag: flagAt(4, { staging, production }) });
    renderFlag(false);
    expect(await screen.findByRole('listitem', { name: 'Rule 1: beta' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Move ramp up' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add a rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Review/ })).toBeNull();
    expect(screen.getByRole('listitem', { name: 'Rule 1: beta' }).getAttribute('draggable')).toBeNull();
  });

  it('adds a prerequisite on another flag and saves it', async () => {
    const sent = api({ flag: flagAt(4, { staging, production }), onWrite: acceptingSaves(4) });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    // Offered once the project's other flags are loaded.
    const add = await screen.findByRole('button', { name: 'Add prerequisite' });
    await waitFor(() => expect((add as HTMLButtonElement).disabled).toBe(false));
    await user.click(add);
    expect((screen.getByRole('combobox', { name: 'Prerequisite 1 flag' }) as HTMLInputElement).value).toBe(
      'new-login',
    );
    await user.click(screen.getByRole('button', { name: 'Review and save 1 change' }));
    expect(
      within(await screen.findByRole('table', { name: 'Changes to save' })).getByRole('row', {
        name: /prerequisite 1/,
      }).textContent,
    ).toContain('new-login');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PUT')).toBe(true));
    expect(sent.find((request) => request.method === 'PUT')?.body).toMatchObject({
      prerequisites: [{ flagKey: 'new-login', variants: ['new'] }],
      version: 4,
    });
  });

  it('keeps the draft across a kill-switch flip, and saves against the newer version', async () => {
    const sent = api({
      flag: flagAt(4, { staging, production }),
      onWrite: (request) =>
        request.path.endsWith('/toggle')
          ? { flag: flagAt(5, { staging, production: { ...production, enabled: false } }) }
          : acceptingSaves(5)(request),
    });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Move ramp up' }));
    await user.click(screen.getByRole('switch', { name: 'new-checkout in Production' }));
    await waitFor(() =>
      expect(
        (screen.getByRole('switch', { name: 'new-checkout in Production' }) as HTMLInputElement).checked,
      ).toBe(false),
    );
    expect(ruleNames()).toEqual(['Rule 1: ramp', 'Rule 2: beta']);
    expect(screen.queryByText('Changed elsewhere')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Review and save 1 change' }));
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PUT')).toBe(true));
    expect(sent.find((request) => request.method === 'PUT')?.body).toMatchObject({
      enabled: false,
      rules: [production.rules[1], production.rules[0]],
      version: 5,
    });
  });

  it('says so when the rules changed elsewhere under a draft that changed them too', async () => {
    api({
      flag: flagAt(4, { staging, production }),
      // Someone removed a rule meanwhile; the toggle's answer carries their version.
      onWrite: () => ({
        flag: flagAt(6, {
          staging,
          production: { ...production, enabled: false, rules: [production.rules[0]] },
        }),
      }),
    });
    renderFlag();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Move ramp up' }));
    await user.click(screen.getByRole('switch', { name: 'new-checkout in Production' }));
    expect(await screen.findByText('Changed elsewhere')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(ruleNames()).toEqual(['Rule 1: beta']);
    expect(screen.queryByText('Changed elsewhere')).toBeNull();
  });
});
