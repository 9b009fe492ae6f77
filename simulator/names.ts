/**
 * Chinese word lists the dataset draws from. They aim for the look of a real SCRM tenant (a SaaS vendor
 * selling to Chinese SMEs), so that column widths, wrapping and search behave as they would on real data.
 */

export const SURNAMES = [
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
  "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
  "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
  "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
  "欧阳", "司马", "上官",
] as const;

export const GIVEN_NAME_CHARS = [
  "伟", "芳", "娜", "秀", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
  "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建", "宇", "浩", "欣", "婷", "雪", "琳",
  "晨", "思", "雨", "子", "轩", "涵", "梓", "博", "文", "嘉", "佳", "俊", "凯", "晓", "海", "峰", "云", "飞",
  "鑫", "慧", "倩", "颖", "瑶", "然", "一", "诺", "泽", "天", "志", "国", "永", "春", "立", "新",
] as const;

/** Province, city and a few of its districts, for `省市区街道` addresses. */
export const REGIONS: readonly { province: string; city: string; districts: readonly string[] }[] = [
  { province: "浙江省", city: "杭州市", districts: ["西湖区", "滨江区", "余杭区", "拱墅区", "上城区", "萧山区"] },
  { province: "浙江省", city: "宁波市", districts: ["鄞州区", "海曙区", "江北区"] },
  { province: "浙江省", city: "温州市", districts: ["鹿城区", "瓯海区", "龙湾区"] },
  { province: "江苏省", city: "南京市", districts: ["鼓楼区", "玄武区", "建邺区", "江宁区"] },
  { province: "江苏省", city: "苏州市", districts: ["工业园区", "姑苏区", "吴中区", "相城区"] },
  { province: "江苏省", city: "无锡市", districts: ["梁溪区", "滨湖区", "新吴区"] },
  { province: "广东省", city: "广州市", districts: ["天河区", "越秀区", "海珠区", "番禺区", "白云区"] },
  { province: "广东省", city: "深圳市", districts: ["南山区", "福田区", "宝安区", "龙岗区", "罗湖区"] },
  { province: "广东省", city: "东莞市", districts: ["南城街道", "松山湖", "长安镇"] },
  { province: "上海市", city: "上海市", districts: ["浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区"] },
  { province: "北京市", city: "北京市", districts: ["朝阳区", "海淀区", "东城区", "丰台区", "大兴区"] },
  { province: "四川省", city: "成都市", districts: ["武侯区", "锦江区", "高新区", "青羊区"] },
  { province: "湖北省", city: "武汉市", districts: ["江汉区", "洪山区", "武昌区", "东湖高新区"] },
  { province: "福建省", city: "厦门市", districts: ["思明区", "湖里区", "集美区"] },
  { province: "福建省", city: "福州市", districts: ["鼓楼区", "台江区", "仓山区"] },
  { province: "山东省", city: "济南市", districts: ["历下区", "市中区", "槐荫区"] },
  { province: "山东省", city: "青岛市", districts: ["市南区", "崂山区", "黄岛区"] },
  { province: "河南省", city: "郑州市", districts: ["金水区", "二七区", "郑东新区"] },
  { province: "湖南省", city: "长沙市", districts: ["岳麓区", "天心区", "开福区"] },
  { province: "陕西省", city: "西安市", districts: ["雁塔区", "碑林区", "未央区"] },
  { province: "安徽省", city: "合肥市", districts: ["蜀山区", "包河区", "政务区"] },
  { province: "重庆市", city: "重庆市", districts: ["渝中区", "江北区", "渝北区", "南岸区"] },
  { province: "天津市", city: "天津市", districts: ["和平区", "南开区", "滨海新区"] },
];

export const STREETS = [
  "文三路", "学院路", "建国路", "人民路", "解放路", "中山路", "科技园路", "创业大道", "长江路", "黄河路",
  "高新大道", "南京路", "延安路", "世纪大道", "星光大道", "金融街", "望京街", "软件园路", "湖滨路", "东方路",
] as const;

export const BUILDING_SUFFIXES = ["", "", "", "创新大厦", "国际中心", "科技园", "写字楼", "产业园"] as const;

/** Company names are `<city><brand><industry>有限公司`, the usual shape of a registered Chinese SME. */
export const COMPANY_CITIES = [
  "杭州", "上海", "深圳", "广州", "北京", "南京", "苏州", "成都", "武汉", "宁波", "厦门", "合肥", "长沙", "西安",
  "青岛", "郑州", "东莞", "佛山", "无锡", "天津",
] as const;
export const COMPANY_BRANDS = [
  "云启", "星辰", "蓝海", "数联", "智汇", "恒信", "锐思", "远航", "优品", "鼎盛", "华创", "聚力", "新锐", "博远",
  "润泽", "凌云", "卓越", "天成", "众合", "腾跃", "青禾", "明德", "安泰", "嘉禾", "启明", "东升", "领航", "佳和",
  "瑞丰", "金桥", "汇通", "易达", "盛世", "百川", "宏图", "正源", "海纳", "同舟", "长风", "兴业",
] as const;
export const COMPANY_INDUSTRIES = [
  "网络科技", "信息技术", "教育科技", "电子商务", "贸易", "餐饮管理", "医疗器械", "文化传媒", "建筑工程",
  "企业管理咨询", "生物科技", "物流", "家居用品", "新能源科技", "智能制造", "软件开发", "广告", "健康管理",
  "食品", "服饰",
] as const;

export const DESCRIPTIONS = [
  "咨询会话存档功能", "想了解私域运营方案", "需要报价单", "官网留资，未接通", "对标竞品，关注价格",
  "老板亲自对接", "展会现场扫码", "希望先试用两周", "门店较多，关注多门店管理", "已有企微，想做客户分层",
  "需求是销售过程管理", "转介绍客户，意向较强", "预算待定", "关注数据安全与私有化", "暂无需求，后续再联系",
  "要求上门演示", "市场部对接人", "IT 负责人，技术评估中",
] as const;

/** Fragments of the 备注 multi-line text field; several are joined with newlines. */
export const REMARK_LINES = [
  "客户是连锁门店，共 35 家，总部在杭州。",
  "决策人是运营总监，财务需要单独沟通。",
  "上次演示反馈：界面不错，担心员工上手成本。",
  "对会话存档和敏感词监控比较感兴趣，希望能按部门设置权限，并且导出聊天记录给法务审核。",
  "竞品已在试用，价格是主要顾虑。",
  "需要对接现有的 ERP 系统，技术同事下周评估接口文档，评估完成后再约第二次会议讨论实施排期和培训安排。",
  "年底有预算，可以重点跟进。",
  "联系人下月休产假，交接给同事王经理。",
  "客户要求合同走年付，开专票。",
  "已加企微好友，备注为“重点客户”。",
] as const;

export const WECHAT_PREFIXES = ["wxid_", "", "", "sunny", "leo", "amy", "kevin", "tom", "lucky", "xiao"] as const;

export const CAMPAIGNS = ["春季新品发布会", "行业峰会线下沙龙", "直播专场：私域增长实战", "老客户转介绍季"] as const;

/** Sales staff who write follow-ups; `qwUserId` is the WeCom user id, conventionally the pinyin of the name. */
export const OPERATORS: readonly { qwUserId: string; name: string }[] = [
  { qwUserId: "ZhangWei", name: "张伟" },
  { qwUserId: "LiNa", name: "李娜" },
  { qwUserId: "WangFang", name: "王芳" },
  { qwUserId: "LiuYang", name: "刘洋" },
  { qwUserId: "ChenJing", name: "陈静" },
  { qwUserId: "ZhaoLei", name: "赵磊" },
  { qwUserId: "HuangMin", name: "黄敏" },
  { qwUserId: "ZhouJie", name: "周杰" },
  { qwUserId: "WuTingting", name: "吴婷婷" },
  { qwUserId: "SunHao", name: "孙浩" },
  { qwUserId: "XuQian", name: "徐倩" },
  { qwUserId: "MaChao", name: "马超" },
];

/** Notes a salesperson types after a contact (follow-up type 1). */
export const FOLLOW_UP_NOTES = [
  "电话沟通，客户对会话存档功能感兴趣，约下周三线上演示。",
  "已发送报价单，客户反馈预算偏紧，需要内部再讨论。",
  "客户未接电话，已发短信说明来意。",
  "线上演示完成，客户关注数据导出和权限管理。",
  "加了企微好友，发送了产品白皮书和案例。",
  "客户表示目前在用竞品，合同年底到期，到时再联系。",
  "上门拜访，见到了运营负责人，需求是多门店统一管理。",
  "客户要求试用账号，已开通 14 天试用。",
  "试用反馈：群发功能好用，希望增加自动打标签。",
  "和财务确认了付款方式，走年付，需开增值税专用发票。",
  "客户暂时没有预算，标记为低意向，三个月后回访。",
  "发送了合同初稿，法务在审核。",
  "客户老板出差，下周一再约。",
  "微信沟通：\n1. 确认了账号数量 50 个\n2. 需要对接有赞商城\n3. 希望月底前上线",
  "回访：客户已上线两周，使用情况良好，有转介绍意向。",
] as const;

export const STAGE_NAMES = ["初步接触", "需求确认", "方案报价", "商务谈判", "赢单", "输单"] as const;
