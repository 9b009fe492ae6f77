"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button";
import type { Day } from "@/lib/china-time";
import { formatChinaWallTime } from "@/lib/china-time";
import { errorMessage } from "@/lib/clues/api-client";
import { filterChips } from "@/lib/clues/filter-chips";
import { MAX_VIEW_NAME_LENGTH } from "@/lib/clues/limits";
import { dictionaryQueryOptions } from "@/lib/clues/query-options";
import { loadClueSearchParams, resolveView } from "@/lib/clues/search-params";
import type { Dictionary } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import {
  createSubscription,
  deleteSubscription,
  type SubscriptionChange,
  type SubscriptionInput,
  subscriptionKeys,
  subscriptionsQueryOptions,
  testSubscription,
  updateSubscription,
} from "@/lib/notifications/api-client";
import type { ChannelKind, Subscription, TestDelivery } from "@/lib/notifications/schema";

const KINDS = Object.entries(copy.notifications.kinds) as [ChannelKind, string][];
const inputClass = "h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-[13px] text-slate-800 shadow-xs outline-none focus:border-indigo-400 disabled:bg-slate-50 disabled:text-slate-400";
const labelClass = "flex flex-col gap-1 text-xs text-slate-600";

/** A view's filters in words (the list's chips joined), or 全部新线索 for none. */
function filtersInWords(query: string, today: Day, dictionary: Dictionary | undefined): string {
  const result = resolveView(loadClueSearchParams(new URLSearchParams(query)), today);
  if (!result.ok) return query;
  const chips = filterChips(result.view, dictionary);
  return chips.length === 0 ? copy.notifications.allLeads : chips.map((c) => c.label).join("，");
}

const wallTime = (iso: string) => formatChinaWallTime(new Date(iso)).slice(0, 16);

/** 通知: the subscriptions, each with its state, 发送测试, 修改 and 删除; below them, the form for a new one. */
export function Subscriptions({ today }: { today: Day }) {
  const list = useQuery(subscriptionsQueryOptions());
  const dictionary = useQuery(dictionaryQueryOptions());
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <>
      {list.isError ? (
        <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-[13px] text-rose-800">
          {copy.notifications.listError}：{errorMessage(list.error)}
        </p>
      ) : list.data === undefined ? (
        <p className="text-[13px] text-slate-500">{copy.list.loading}</p>
      ) : list.data.subscriptions.length === 0 ? (
        <div data-testid="subscriptions-empty" className="rounded-lg border border-dashed border-slate-300 px-6 py-8 text-center">
          <div className="text-sm font-medium text-slate-700">{copy.notifications.empty}</div>
          <div className="pt-1 text-xs text-slate-500">{copy.notifications.emptyHint}</div>
        </div>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="subscriptions">
          {list.data.subscriptions.map((subscription) =>
            editing === subscription.id ? (
              <li key={subscription.id} className="rounded-lg border border-indigo-200 bg-white p-4">
                <SubscriptionForm subscription={subscription} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <SubscriptionCard
                key={subscription.id}
                subscription={subscription}
                filters={filtersInWords(subscription.query, today, dictionary.data)}
                onEdit={() => setEditing(subscription.id)}
              />
            ),
          )}
        </ul>
      )}
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <SubscriptionForm />
      </section>
    </>
  );
}

function SubscriptionCard({ subscription, filters, onEdit }: { subscription: Subscription; filters: string; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const settle = () => void queryClient.invalidateQueries({ queryKey: subscriptionKeys.all });
  const test = useMutation({ mutationFn: () => testSubscription(subscription.id), onSettled: settle });
  const remove = useMutation({ mutationFn: () => deleteSubscription(subscription.id), onSettled: settle });
  const n = copy.notifications;

  return (
    <li data-testid="subscription" data-name={subscription.name} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium text-slate-900" data-testid="subscription-name">
          {subscription.name}
        </span>
        <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700" data-testid="subscription-kind">
          {n.kinds[subscription.channel.kind]}
        </span>
        {subscription.channel.signed ? <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-700">{n.signed}</span> : null}
        <div className="ml-auto flex items-center gap-2">
          <Button data-testid="subscription-test" disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? n.sendingTest : n.sendTest}
          </Button>
          <Button data-testid="subscription-edit" onClick={onEdit}>
            {n.edit}
          </Button>
          <Button
            data-testid="subscription-delete"
            className={confirming ? "border-rose-300 text-rose-700" : ""}
            disabled={remove.isPending}
            onClick={() => (confirming ? remove.mutate() : setConfirming(true))}
            onBlur={() => setConfirming(false)}
          >
            {confirming ? n.confirmDelete : n.delete}
          </Button>
        </div>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-[13px]">
        <dt className="text-slate-500">{n.url}</dt>
        <dd className="font-mono text-xs break-all text-slate-700" data-testid="subscription-url">
          {subscription.channel.url}
        </dd>
        <dt className="text-slate-500">{n.query}</dt>
        <dd className="text-slate-700" data-testid="subscription-filters">
          <Link href={`/clues${subscription.query === "" ? "" : `?${subscription.query}`}`} className="hover:text-indigo-700 hover:underline">
            {filters}
          </Link>
        </dd>
        <dt className="text-slate-500">{n.digestLabel}</dt>
        <dd className="text-slate-700">{subscription.digest === null ? n.noDigest : n.digestAt(subscription.digest)}</dd>
        <dt className="text-slate-500">{n.lastDelivery}</dt>
        <dd className="text-slate-700 tabular-nums" data-testid="subscription-last-delivery">
          {subscription.lastDeliveryAt === null ? n.never : wallTime(subscription.lastDeliveryAt)}
          {subscription.pending > 0 ? <span className="pl-3 text-amber-700">{n.pending(subscription.pending)}</span> : null}
          {subscription.failed > 0 ? <span className="pl-3 text-rose-700">{n.failed(subscription.failed)}</span> : null}
        </dd>
        {subscription.lastError === null ? null : (
          <>
            <dt className="text-slate-500">{n.lastError}</dt>
            <dd className="text-rose-700" data-testid="subscription-last-error">
              {subscription.lastErrorAt === null ? null : <span className="pr-2 tabular-nums">{wallTime(subscription.lastErrorAt)}</span>}
              {subscription.lastError}
            </dd>
          </>
        )}
      </dl>
      {test.data === undefined ? null : <TestReply delivery={test.data} />}
      {test.isError || remove.isError ? (
        <p role="alert" className="text-xs text-rose-700">
          {test.isError ? n.testFailed(errorMessage(test.error)) : `${n.deleteFailed}：${errorMessage(remove.error)}`}
        </p>
      ) : null}
    </li>
  );
}

/** What the robot said to 发送测试: taken or not, and its own reply as it sent it. */
function TestReply({ delivery }: { delivery: TestDelivery }) {
  const n = copy.notifications;
  return (
    <div
      role="status"
      data-testid="test-reply"
      data-ok={delivery.ok}
      className={`rounded-md border px-3 py-2 text-xs ${delivery.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-rose-200 bg-rose-50 text-rose-900"}`}
    >
      <div className="font-medium">{delivery.ok ? n.testOk(delivery.status) : n.testFailed(delivery.error ?? String(delivery.status))}</div>
      {delivery.reply === "" ? null : (
        <div className="pt-1">
          <span className="text-slate-500">{n.reply}：</span>
          <code className="font-mono break-all" data-testid="test-reply-body">
            {delivery.reply}
          </code>
        </div>
      )}
    </div>
  );
}

/**
 * A new subscription, or a change to one. The API never answers a robot's URL or secret whole, so a change
 * keeps the robot unless a new URL is typed (then kind, URL and secret are replaced together); an emptied
 * digest turns the digest off.
 */
function SubscriptionForm({ subscription, onDone }: { subscription?: Subscription; onDone?: () => void }) {
  const queryClient = useQueryClient();
  const n = copy.notifications;
  const [name, setName] = useState(subscription?.name ?? "");
  const [query, setQuery] = useState(subscription?.query ?? "");
  const [kind, setKind] = useState<ChannelKind>(subscription?.channel.kind ?? "wecom");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [digest, setDigest] = useState(subscription?.digest ?? "");
  const reset = () => {
    setName("");
    setQuery("");
    setUrl("");
    setSecret("");
    setDigest("");
  };
  const save = useMutation({
    mutationFn: () => {
      const channel = { kind, url: url.trim(), ...(secret.trim() === "" ? {} : { secret: secret.trim() }) };
      if (subscription === undefined) {
        const input: SubscriptionInput = { name: name.trim(), query: query.trim(), channel, ...(digest === "" ? {} : { digest }) };
        return createSubscription(input);
      }
      const change: SubscriptionChange = { name: name.trim(), query: query.trim(), digest: digest === "" ? null : digest, ...(channel.url === "" ? {} : { channel }) };
      return updateSubscription(subscription.id, change);
    },
    onSuccess: () => {
      if (subscription === undefined) reset();
      onDone?.();
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: subscriptionKeys.all }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const keepsRobot = subscription !== undefined && url.trim() === "";

  return (
    <form onSubmit={onSubmit} data-testid={subscription === undefined ? "subscription-create-form" : "subscription-edit-form"} className="flex flex-col gap-3">
      <h2 className="text-[13px] font-medium text-slate-800">{subscription === undefined ? n.createTitle : n.editTitle(subscription.name)}</h2>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <label className={labelClass}>
          {n.name}
          <input required maxLength={MAX_VIEW_NAME_LENGTH} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} data-testid="subscription-name-input" />
        </label>
        <label className={labelClass}>
          {n.query}
          <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="type=2&status=clue" className={`${inputClass} font-mono`} data-testid="subscription-query-input" />
          <span className="text-[11px] text-slate-400">{n.queryHint}</span>
        </label>
        <label className={labelClass}>
          {n.kind}
          <select value={kind} disabled={keepsRobot} onChange={(e) => setKind(e.target.value as ChannelKind)} className={inputClass} data-testid="subscription-kind-input">
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          {n.url}
          <input
            type="url"
            required={subscription === undefined}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={subscription === undefined ? "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" : subscription.channel.url}
            className={`${inputClass} font-mono`}
            data-testid="subscription-url-input"
          />
          {subscription === undefined ? null : <span className="text-[11px] text-slate-400">{n.urlKeep}</span>}
        </label>
        <label className={labelClass}>
          {n.secret}
          <input
            type="password"
            autoComplete="off"
            disabled={keepsRobot}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            className={inputClass}
            data-testid="subscription-secret-input"
          />
          <span className="text-[11px] text-slate-400">{n.secretHint}</span>
        </label>
        <label className={labelClass}>
          {n.digest}
          <input type="time" value={digest} onChange={(e) => setDigest(e.target.value)} className={inputClass} data-testid="subscription-digest-input" />
        </label>
      </div>
      {save.isError ? (
        <p role="alert" data-testid="subscription-form-error" className="text-xs text-rose-700">
          {n.saveFailed}：{errorMessage(save.error)}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending} data-testid="subscription-save">
          {save.isPending ? n.creating : subscription === undefined ? n.create : n.save}
        </Button>
        {subscription === undefined ? null : <Button onClick={onDone}>{n.cancel}</Button>}
      </div>
    </form>
  );
}
