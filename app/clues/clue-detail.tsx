"use client";

import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { ApiFetchError, errorMessage } from "@/app/clues/api-client";
import { clueDisplayName, companyHref, formatField, isEmptyField, TypeBadges } from "@/app/clues/columns";
import { FIELD_TYPE } from "@/lib/tanma/field-types";
import {
  clueDetailQueryOptions,
  clueKeys,
  dictionaryQueryOptions,
  followUpsQueryOptions,
} from "@/app/clues/query-options";
import { TagChip } from "@/components/tag-chips";
import { fieldLabel } from "@/lib/clues/field-labels";
import type {
  ApiError,
  ClueDetail,
  ClueItem,
  ClueListResponse,
  ClueTag,
  Dictionary,
  FollowUp,
  PhoneNumbers,
} from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** The row already loaded in a list, shown at once while the full detail loads. */
function useListPlaceholder(customerId: string): ClueDetail | undefined {
  const queryClient = useQueryClient();
  for (const [, data] of queryClient.getQueriesData<InfiniteData<ClueListResponse>>({ queryKey: clueKeys.lists() })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((c: ClueItem) => c.customerId === customerId);
      if (hit) return { ...hit, convertCustomerTime: null };
    }
  }
  return undefined;
}

/** A clue's full detail: fields (empty ones grouped), tags by group, company, times, follow-up timeline. */
export function ClueDetailView({ customerId, initialData }: { customerId: string; initialData?: ClueDetail }) {
  const placeholder = useListPlaceholder(customerId);
  const detail = useQuery({
    ...clueDetailQueryOptions(customerId),
    ...(initialData ? { initialData } : {}),
    placeholderData: placeholder,
  });
  const dictionary = useQuery(dictionaryQueryOptions());

  if (detail.isError && !detail.data) {
    const notFound = detail.error instanceof ApiFetchError && detail.error.isNotFound;
    return notFound ? (
      <ClueNotFound customerId={customerId} />
    ) : (
      <div role="alert" data-testid="detail-error" className="flex flex-col items-start gap-3 p-6">
        <div className="text-sm font-medium text-slate-800">{copy.detail.errorTitle}</div>
        <div className="text-sm text-rose-700">{errorMessage(detail.error)}</div>
        <button
          type="button"
          data-testid="retry-button"
          onClick={() => void detail.refetch()}
          className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          {copy.list.retry}
        </button>
      </div>
    );
  }

  const clue = detail.data;
  if (!clue) return <DetailSkeleton />;
  return <DetailBody clue={clue} dictionary={dictionary.data} complete={!detail.isPlaceholderData} />;
}

export function ClueNotFound({ customerId }: { customerId: string }) {
  return (
    <div data-testid="clue-not-found" role="alert" className="flex flex-col items-start gap-2 p-6 pr-14">
      <div className="text-base font-medium text-slate-900">{copy.detail.notFoundTitle}</div>
      <div className="text-sm text-slate-600">{copy.detail.notFoundHint(customerId)}</div>
      <Link href="/clues" className="mt-2 text-sm text-indigo-700 hover:underline">
        {copy.detail.backToList}
      </Link>
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div className="flex flex-col gap-4 p-6" aria-busy aria-label={copy.detail.loading}>
      <span className="skeleton h-6 w-48" />
      <span className="skeleton h-4 w-32" />
      {Array.from({ length: 8 }, (_, i) => (
        <span key={i} className="skeleton h-4" style={{ width: `${50 + ((i * 17) % 45)}%` }} />
      ))}
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="border-t border-slate-100 px-6 py-4" data-testid={testId}>
      <h3 className="mb-2 text-xs font-medium tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

function DetailBody({ clue, dictionary, complete }: { clue: ClueDetail; dictionary?: Dictionary; complete: boolean }) {
  const filled = clue.fields.filter((f) => !isEmptyField(f));
  const hasPhones = filled.some((f) => f.type === FIELD_TYPE.phone);
  // Phone numbers arrive masked; revealing them is an explicit, audited POST.
  const reveal = useMutation({
    mutationFn: async (): Promise<PhoneNumbers> => {
      const res = await fetch(`/api/clues/${encodeURIComponent(clue.customerId)}/phones`, { method: "POST" });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as ApiError | null;
        throw new Error(body?.upstreamMessage ?? body?.error ?? copy.errors.http(res.status));
      }
      return (await res.json()) as PhoneNumbers;
    },
  });
  const revealed = new Map((reveal.data ?? []).map((p) => [p.key, p.values]));
  const empty = clue.fields.filter((f) => isEmptyField(f));
  const name = clueDisplayName(clue);

  return (
    <article data-testid="clue-detail" data-customer-id={clue.customerId} data-complete={String(complete)}>
      <header className="px-6 pt-5 pb-4 pr-14">
        <h2 className="text-lg font-semibold text-slate-900" data-testid="clue-detail-name">
          {name}
        </h2>
        <div className="mt-1.5 flex flex-wrap items-center gap-3 text-xs text-slate-500">
          <TypeBadges type={clue.type} isClue={clue.isClue} />
          <span className="font-mono">
            {copy.detail.customerId} {clue.customerId}
          </span>
        </div>
      </header>

      <Section title={copy.detail.status}>
        <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-1.5 text-[13px]">
          <dt className="text-slate-500">{copy.detail.company}</dt>
          <dd>
            {clue.company ? (
              <Link
                href={companyHref(clue.company)}
                data-testid="company-link"
                className="text-indigo-700 hover:underline"
              >
                {clue.company.name}
              </Link>
            ) : (
              <span className="text-slate-400">{copy.detail.noCompany}</span>
            )}
          </dd>
          <dt className="text-slate-500">{copy.detail.createTime}</dt>
          <dd className="tabular-nums">{clue.createTime}</dd>
          <dt className="text-slate-500">{copy.detail.updateTime}</dt>
          <dd className="tabular-nums">{clue.lastUpdateTime}</dd>
          <dt className="text-slate-500">{copy.detail.convertTime}</dt>
          <dd className="tabular-nums" data-testid="convert-time">
            {!complete ? (
              <span className="skeleton inline-block h-3 w-28" />
            ) : clue.convertCustomerTime ? (
              clue.convertCustomerTime
            ) : (
              <span className="text-slate-400">{copy.detail.notConverted}</span>
            )}
          </dd>
        </dl>
      </Section>

      <Section title={copy.detail.fields} testId="detail-fields">
        <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-1.5 text-[13px]">
          {filled.map((f) => (
            <div key={f.key} className="contents" data-testid="detail-field" data-field-key={f.key}>
              <dt className="truncate text-slate-500" title={f.key}>
                {fieldLabel(f.key, dictionary)}
              </dt>
              <dd className="min-w-0 break-words text-slate-800">
                {f.type === FIELD_TYPE.multiLineText ? (
                  <span className="whitespace-pre-wrap">{f.values.join("\n")}</span>
                ) : f.type === FIELD_TYPE.phone ? (
                  <span className="font-mono" data-testid="phone-values">
                    {(revealed.get(f.key) ?? f.values).join(", ")}
                  </span>
                ) : (
                  formatField(f)
                )}
              </dd>
            </div>
          ))}
        </dl>
        {hasPhones && complete ? (
          <div className="mt-2 flex items-center gap-2 text-xs">
            {reveal.isSuccess ? null : (
              <button
                type="button"
                data-testid="reveal-phones"
                onClick={() => reveal.mutate()}
                disabled={reveal.isPending}
                className="rounded border border-slate-300 bg-white px-2 py-0.5 text-slate-700 hover:bg-slate-50 disabled:opacity-60"
              >
                {reveal.isPending ? copy.detail.revealingPhones : copy.detail.revealPhones}
              </button>
            )}
            <span className="text-slate-400">{copy.detail.revealNote}</span>
            {reveal.isError ? (
              <span role="alert" className="text-rose-700">
                {copy.detail.revealFailed}：{reveal.error.message}
              </span>
            ) : null}
          </div>
        ) : null}
        {empty.length > 0 ? (
          <div className="mt-3 text-[13px]" data-testid="empty-fields">
            <span className="mr-2 text-slate-500">{copy.detail.emptyFields}</span>
            <span className="text-slate-400">{empty.map((f) => fieldLabel(f.key, dictionary)).join("、")}</span>
          </div>
        ) : null}
      </Section>

      <Section title={copy.detail.tags} testId="detail-tags">
        <TagsByGroup tags={clue.tags} />
      </Section>

      <Section title={copy.detail.followUps} testId="follow-ups">
        <FollowUpTimeline customerId={clue.customerId} />
      </Section>
    </article>
  );
}

function TagsByGroup({ tags }: { tags: readonly ClueTag[] }) {
  if (tags.length === 0) return <div className="text-[13px] text-slate-400">{copy.detail.noTags}</div>;
  const groups = new Map<string, { name: string; tags: ClueTag[] }>();
  for (const t of tags) {
    const key = t.name === null ? "\u0000unknown" : (t.groupId ?? "\u0000none");
    const name = t.name === null ? copy.tags.unknown : (t.groupName ?? copy.tags.unknown);
    const g = groups.get(key) ?? { name, tags: [] };
    g.tags.push(t);
    groups.set(key, g);
  }
  return (
    <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-2 text-[13px]">
      {[...groups].map(([key, g]) => (
        <div key={key} className="contents">
          <dt className="truncate text-slate-500">{g.name}</dt>
          <dd className="flex flex-wrap gap-1">
            {g.tags.map((t) => (
              <TagChip key={t.id} tag={t} />
            ))}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function FollowUpTimeline({ customerId }: { customerId: string }) {
  const q = useInfiniteQuery(followUpsQueryOptions(customerId));
  if (q.status === "pending") {
    return (
      <div className="flex flex-col gap-2" aria-busy>
        <span className="skeleton h-4 w-2/3" />
        <span className="skeleton h-4 w-1/2" />
      </div>
    );
  }
  const items: FollowUp[] = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      {items.length === 0 && !q.isError ? <div className="text-[13px] text-slate-400">{copy.detail.noFollowUps}</div> : null}
      <ol className="relative ml-1.5 border-l border-slate-200">
        {items.map((f) => (
          <li key={f.id} data-testid="follow-up-item" className="relative pb-4 pl-4 last:pb-1">
            <span aria-hidden className="absolute top-1.5 -left-[4.5px] size-2 rounded-full bg-indigo-400 ring-2 ring-white" />
            <div className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-500">
              <time className="tabular-nums">{f.createTime}</time>
              <span>{f.operator?.name ?? copy.detail.operatorUnknown}</span>
            </div>
            <p className="mt-0.5 text-[13px] whitespace-pre-wrap text-slate-800">{f.content}</p>
          </li>
        ))}
      </ol>
      {q.isError ? (
        <div role="alert" className="mt-2 flex items-center gap-2 text-xs text-rose-700">
          {copy.detail.followUpsError}：{errorMessage(q.error)}
          <button
            type="button"
            onClick={() => void (q.isFetchNextPageError ? q.fetchNextPage() : q.refetch())}
            className="rounded border border-slate-300 bg-white px-2 py-0.5 text-slate-700 hover:bg-slate-50"
          >
            {copy.list.retry}
          </button>
        </div>
      ) : q.hasNextPage ? (
        <button
          type="button"
          data-testid="follow-ups-more"
          disabled={q.isFetchingNextPage}
          onClick={() => void q.fetchNextPage()}
          className="mt-2 rounded-md border border-slate-300 bg-white px-3 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-60"
        >
          {q.isFetchingNextPage ? copy.detail.loadingMore : copy.detail.loadMore}
        </button>
      ) : null}
    </div>
  );
}
