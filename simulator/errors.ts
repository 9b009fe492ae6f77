/**
 * The simulator's error table. 1002/1003 and the 404xx family are the vendor's (only 40417 is published;
 * the other 404xx numbers are ours, in that family). 40404 = not found is relied on by the app.
 */
export const TANMA_ERRORS = {
  badSign: { code: 1002, message: "签名校验未通过" },
  clockSkew: { code: 1003, message: "请求时间与服务器时间相差过大" },
  badJson: { code: 40400, message: "请求参数验证失败：请求体不是合法的 JSON 对象" },
  badTimeRange: { code: 40401, message: "请求参数验证失败：since 和 before 必填，格式为 yyyy-MM-dd HH:mm:ss" },
  emptyRange: { code: 40402, message: "请求参数验证失败：since 必须早于 before" },
  badCursor: { code: 40403, message: "请求参数验证失败：cursor 无效，请使用上一页返回的 nextCursor" },
  notFound: { code: 40404, message: "线索&待分配客户不存在" },
  badType: { code: 40405, message: "请求参数验证失败：type 只能是 1 或 2，或不传" },
  badSize: { code: 40406, message: "请求参数验证失败：size 必须是大于等于 1 的整数" },
  badCustomerId: { code: 40407, message: "请求参数验证失败：customerId 必须是正整数" },
  rateLimited: { code: 429, message: "请求过于频繁" },
  injectedOutage: { code: -1, message: "服务暂时不可用（模拟故障）" },
  injectedBusiness: { code: 50000, message: "系统繁忙，请稍后再试（模拟故障）" },
  unknownPath: { code: 404, message: "接口不存在" },
  methodNotAllowed: { code: 405, message: "请求方法不支持，请使用 POST" },
} as const;

export type TanmaErrorSpec = { code: number; message: string };

/** Thrown by handlers; the server turns it into an HTTP 200 envelope with the code. */
export class TanmaError extends Error {
  readonly code: number;
  constructor(spec: TanmaErrorSpec) {
    super(spec.message);
    this.code = spec.code;
  }
}
