import { useState } from 'preact/hooks';
import { query } from '../api.js';
import { useMe } from '../session.js';
import { Field, FormError } from '../ui/field.js';
import { dateTimeIn } from '../ui/format.js';
import { Select } from '../ui/select.js';
import { useAction, useLoad } from '../ui/use-load.js';
import type { ConsolePage } from './page.js';

interface Entry {
  id: number;
  seq: number;
  occurredAt: string;
  actor: string;
  channel: string;
  action: string;
  tool: string | null;
  outcome: string;
  reason: string | null;
  details: Record<string, unknown>;
}

type Verification = { ok: true; count: number } | { ok: false; count: number; brokenAt: number; seq: number; reason: string };

function Audit() {
  const me = useMe();
  const [actor, setActor] = useState('');
  const [outcome, setOutcome] = useState('');
  const [action, setAction] = useState('');
  const [tool, setTool] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const list = useLoad(() => query<{ entries: Entry[] }>('console.audit.list', filters), [JSON.stringify(filters)]);
  const verify = useAction();
  const [verification, setVerification] = useState<Verification | null>(null);
  function apply(event: Event) {
    event.preventDefault();
    const next = Object.fromEntries(Object.entries({ actor, outcome, action, tool, from, to }).filter(([, v]) => v));
    setFilters(next);
  }
  async function runVerify() {
    const result = await verify.run(() => query<Verification>('console.audit.verify'));
    if (result) setVerification(result);
  }
  return (
    <>
      <div class="panel">
        <button type="button" onClick={() => void runVerify()} disabled={verify.isBusy}>
          Verify chain
        </button>
        <div role="status" aria-live="polite">
          {verification?.ok === true && <p class="good">The chain is intact: {verification.count} entries verified.</p>}
          {verification?.ok === false && (
            <p class="bad">
              The chain is broken at entry #{verification.seq} (row {verification.brokenAt}): {verification.reason}
            </p>
          )}
        </div>
        <FormError error={verify.error} />
      </div>
      <form class="toolbar" onSubmit={apply} aria-label="Filter the audit log">
        <Select label="Actor" field="actor" value={actor} onValue={setActor} options={['', 'customer', 'staff', 'autonomous'].map((v) => ({ value: v, label: v || 'Any' }))} error={list.error} />
        <Select label="Decision" field="outcome" value={outcome} onValue={setOutcome} options={['', 'allowed', 'denied', 'succeeded', 'failed'].map((v) => ({ value: v, label: v || 'Any' }))} error={list.error} />
        <Field label="Action" field="action" value={action} onValue={setAction} error={list.error} />
        <Field label="Tool" field="tool" value={tool} onValue={setTool} error={list.error} />
        <Field label="From" field="from" type="date" value={from} onValue={setFrom} error={list.error} hint={`Days in ${me.tenant.timeZone}`} />
        <Field label="To" field="to" type="date" value={to} onValue={setTo} error={list.error} />
        <button type="submit">Filter</button>
      </form>
      <FormError error={list.error} fields={['actor', 'outcome', 'action', 'tool', 'from', 'to']} />
      {list.data && (
        <div class="table-wrap">
          <table>
            <caption class="hint">Newest first, times in {me.tenant.timeZone}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Tool</th>
                <th scope="col">Decision</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {list.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.seq}</td>
                  <td>{dateTimeIn(e.occurredAt, me.tenant.timeZone)}</td>
                  <td>
                    {e.actor}
                    {typeof e.details.staffId === 'string' ? ` (${e.details.staffId.slice(0, 8)})` : ''}
                  </td>
                  <td>{e.action}</td>
                  <td>{e.tool ?? ''}</td>
                  <td class={e.outcome === 'denied' || e.outcome === 'failed' ? 'bad' : ''}>{e.outcome}</td>
                  <td>{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const auditPage: ConsolePage = { path: 'audit', title: 'Audit', component: Audit };
