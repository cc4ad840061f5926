"""Chinese names, addresses and texts for demo data, drawn from a seeded random.Random.

Road names are the ones nearly every Chinese city has (人民路, 解放路, ...), so an address reads
naturally without claiming to be a real place. Reporters' phone numbers are masked the way
service records show them, so no demo row ever holds a real person's number.
"""

from __future__ import annotations

import random

ROADS = (
    "人民路", "解放路", "中山路", "建设路", "新华路", "文化路", "和平路", "胜利路", "光明路",
    "复兴路", "长安路", "东风路", "青年路", "健康路", "迎宾路", "学院路", "工业路", "环城路",
    "滨河路", "府前路", "友谊路", "振兴路", "育才路", "花园路", "公园路", "体育路", "车站路",
    "大桥路", "交通路", "城南路", "城北路", "东环路", "西环路", "北京路", "上海路", "创业路",
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰新文斌浩宇鹏飞海波亮云峰凯晨阳俊辉"
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "157", "158", "159", "176", "177", "180", "186", "187", "188", "189")

# Where rest stations are hosted (unions partner with shops, banks, petrol stations, ...).
STATION_HOSTS = (
    ("社区", "户外劳动者驿站"), ("加油站", "爱心驿站"), ("银行网点", "户外劳动者服务站"),
    ("邮政所", "职工驿站"), ("供电营业厅", "爱心驿站"), ("公园", "暖心驿站"),
    ("商业中心", "骑手驿站"), ("物流园", "快递小哥之家"), ("便利店", "爱心驿站"),
    ("党群服务中心", "新就业形态劳动者驿站"),
)
CANTEEN_NAMES = (
    "{road}职工爱心食堂", "骑手暖心食堂（{road}店）", "{road}社区食堂", "工会爱心餐厅（{road}店）",
)
XIAOGE = "小哥暖心食堂（{road}店）"  # 秀洲区's canteens for delivery riders
CHARGING_NAMES = ("{road}电动自行车充电站", "{road}社区充电棚", "{road}智能充电桩")
SWAP_NAMES = ("{road}换电柜", "{road}骑手换电站")

DESCRIPTIONS = {
    "charging_shortage": (
        "{place}附近没有电动车充电桩，晚上送完单电瓶没电只能推车回去，希望在{road}一带增设充电点。",
        "{place}{road}的充电桩太少，每天排队要等一个多小时，耽误接单，请求增加充电设施。",
        "我们骑手在{place}跑单，附近唯一的充电点经常坏，能否协调在{road}附近建集中充电棚？",
    ),
    "canteen_shortage": (
        "{place}{road}附近没有便宜的吃饭地方，中午送餐高峰只能在路边吃冷饭，希望开设爱心食堂。",
        "附近的职工食堂只对本单位开放，快递员吃不上热饭，建议{place}增加对外开放的食堂。",
    ),
    "station_shortage": (
        "{place}{road}一带没有休息的地方，夏天太热，希望设一个户外劳动者驿站。",
        "驿站离我们跑单的区域太远，{road}附近能不能再建一个可以喝水、充电的驿站？",
    ),
    "wage_arrears": (
        "我在{road}的一家配送站工作，站点已经拖欠两个月工资，约一万二千元，请工会帮忙追讨。",
        "{place}某物流公司年底结算时克扣我们的工资和押金，多次讨要无果。",
        "工程完工三个月了，包工头一直不发工资，涉及工友十几人。",
    ),
    "labour_contract": (
        "公司要求我们注册成个体工商户，不签劳动合同，也不交社保，想咨询怎么办。",
        "干了一年多一直没签合同，现在被辞退，想了解能否要求双倍工资。",
        "入职时签的是劳务协议，受伤后公司说不是员工，请问如何维权？",
    ),
    "platform_rules": (
        "平台系统派单时间太紧，超时一次罚款二十元，{road}红绿灯多根本送不完，希望反映给平台。",
        "站点规定差评一次扣五十元，申诉渠道不通，想请工会和平台协商。",
        "平台算法调整后单价下降，每天跑十二个小时收入还减少了。",
    ),
    "safety": (
        "{road}路口没有非机动车道，电动车和货车混行，差点出事故，希望加装护栏和信号灯。",
        "送餐途中摔伤，站点不给报工伤，也没有买意外险。",
        "仓库夏天没有降温措施，已经有工友中暑。",
    ),
    "travel_home": (
        "春节想回老家，火车票买不到，听说工会有返乡专车，怎么报名？",
        "过年留在{place}跑单，想了解工会有没有就地过年的慰问活动。",
    ),
    "skills_training": (
        "想考电工证，听说工会有免费培训，请问{place}在哪里报名？",
        "想参加网约车驾驶员技能培训，有没有补贴？",
    ),
    "other": (
        "想了解新就业形态劳动者怎么加入工会。",
        "孩子暑假没人照看，工会有没有爱心托管班？",
        "驿站的微波炉坏了，麻烦安排维修。",
    ),
    "facility_problem": (
        "地图上显示{road}的驿站营业中，到了却锁着门。",
        "{place}{road}的充电柜坏了好几天，扫码没反应。",
    ),
}
RESOLUTIONS = {
    "charging_shortage": "已会同街道和供电部门现场踏勘，新增充电设施已列入建设计划，建成后将在小程序公布。",
    "canteen_shortage": "已协调附近企业食堂对新就业形态劳动者开放，凭工会会员码享受优惠餐价。",
    "station_shortage": "已在附近门店新设户外劳动者驿站，提供饮水、充电、休息服务。",
    "wage_arrears": "经工会协调，企业已补发拖欠工资，劳动者确认收到。",
    "labour_contract": "已提供法律咨询并协助与企业协商，企业同意补签劳动合同。",
    "platform_rules": "已将意见转达平台企业，平台同意延长该区域配送时限并开通申诉绿色通道。",
    "safety": "已会同交警和企业整改，增设安全提示并为骑手补办意外保险。",
    "travel_home": "已为其登记返乡专车，出发时间和地点短信通知。",
    "skills_training": "已为其报名本期免费技能培训班，开班前电话通知。",
    "other": "已答复并提供相关服务信息。",
    "facility_problem": "已联系设施运营方核实并修复，地图上的营业信息已更新。",
}
REJECTIONS = ("该事项不属于工会受理范围，已告知其向相关部门反映。", "反映内容重复，已并入此前的诉求办理。")
TRANSFER_TARGETS = ("区人力社保局劳动保障监察大队", "区市场监管局", "区交通运输局", "区住建局")
RATING_COMMENTS = {
    5: ("处理很及时，谢谢工会！", "问题解决了，非常满意。", "工作人员很耐心。"),
    4: ("基本解决了，希望后续跟进。", "满意，就是时间长了点。"),
    3: ("有回复，但还没有完全解决。",),
    2: ("回复太慢了。",),
    1: ("问题没有解决。",),
}


def person(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    style = rng.random()
    if style < 0.4:
        return surname + rng.choice(("师傅", "先生", "女士"))
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def masked_mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}****{rng.randrange(10_000):04d}"


def street_address(rng: random.Random, prefix: str, road: str | None = None) -> str:
    return f"{prefix}{road or rng.choice(ROADS)}{rng.randrange(1, 400)}号"

# Riders' reports about a station that is not as listed (category facility_problem).
FACILITY_PROBLEMS = (
    "驿站显示开放，中午到了却锁着门。",
    "驿站的充电柜坏了，一个插座都不能用。",
    "地图上写有饮水机，到了发现没有。",
    "驿站的微波炉坏了好几天没人修。",
)

