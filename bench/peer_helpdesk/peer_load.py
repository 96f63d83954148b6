"""Loads the django-helpdesk benchmark site with N tickets and prints a staff session cookie (run in its own venv).

Run by ``bench/peer_helpdesk.py`` with the helpdesk venv's Python, ``PYTHONPATH`` = this folder and
``DJANGO_SETTINGS_MODULE=peer_settings``::

    python peer_load.py --tickets 93834 [--seed 2022] [--analyze]

Migrates, creates the staff users (``peer_admin``, a superuser, and four agents), five queues and a small
knowledge base, then — unless the database already holds exactly N tickets — deletes the tickets and bulk-inserts
N of them through helpdesk's models: spread over the last year, the five queues, all five statuses (most closed,
as in a year of real work) and priorities, about a fifth assigned to ``peer_admin`` (so his dashboard has rows),
15 % unassigned; one "opened" follow-up per ticket (what helpdesk writes on creation) and a second one for the
resolved and closed. The last line of output is ``PEER_JSON`` and JSON: the counts and the ``sessionid`` of ``peer_admin``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import FollowUp, KBCategory, KBItem, Queue, Ticket  # noqa: E402

ADMIN = "peer_admin"
AGENTS = ["agent_li", "agent_wang", "agent_zhang", "agent_chen"]
QUEUES = [
    ("wuye", "物业维修"),
    ("huanjing", "环境卫生"),
    ("linli", "邻里纠纷"),
    ("minzheng", "民政救助"),
    ("qita", "其他诉求"),
]
PLACES = ["东岳社区", "名山街道", "城西社区", "城北社区", "南江街道", "碧桂园小区", "金港城", "东环社区"]
ISSUES = [
    ("楼道灯坏了", "楼道的声控灯已经坏了一周，晚上上下楼很不方便，老人容易摔倒，请尽快安排维修。"),
    ("垃圾清运不及时", "小区门口的垃圾桶已经满了两天没有清运，天气热气味很大，请环卫部门处理。"),
    ("楼上漏水", "楼上住户卫生间漏水，渗到我家天花板，沟通多次未果，请社区协调。"),
    ("噪音扰民", "夜间有商户施工噪音很大，影响休息，希望有关部门出面处理。"),
    ("低保申请咨询", "家中老人生病，收入减少，想咨询低保申请的条件和需要准备的材料。"),
    ("路灯不亮", "小区主干道路灯不亮，晚上出行不便，存在安全隐患。"),
    ("占道停车", "有车辆长期占用消防通道停放，请物业和交警处理。"),
    ("电梯故障", "单元电梯经常停运，里面有时困人，请检查维修并告知原因。"),
    ("下水道堵塞", "一楼下水道堵塞，污水倒灌，请尽快派人疏通。"),
    ("高龄补贴未到账", "老人八十岁高龄补贴这个月没有到账，请帮忙查询原因。"),
    ("宠物扰民", "邻居养的狗经常在夜里叫，并在楼道便溺，请社区协调。"),
    ("绿化带杂草", "小区绿化带杂草丛生，蚊虫很多，请安排清理。"),
]
# helpdesk statuses: 1 open, 2 reopened, 3 resolved, 4 closed, 5 duplicate
STATUS_WEIGHTS = [(1, 14), (2, 2), (3, 10), (4, 71), (5, 3)]
PRIORITY_WEIGHTS = [(1, 3), (2, 12), (3, 60), (4, 20), (5, 5)]
BATCH = 2000


def ensure_users() -> tuple[object, list[object]]:
    User = get_user_model()
    admin = User.objects.filter(username=ADMIN).first()
    if admin is None:
        admin = User.objects.create_superuser(ADMIN, "peer_admin@example.org", None)
    agents = []
    for name in AGENTS:
        agent = User.objects.filter(username=name).first()
        if agent is None:
            agent = User.objects.create_user(name, f"{name}@example.org", None, is_staff=True)
        agents.append(agent)
    return admin, agents


def ensure_queues() -> list[Queue]:
    queues = []
    for slug, title in QUEUES:
        queue, _ = Queue.objects.get_or_create(
            slug=slug, defaults={"title": title, "email_address": f"{slug}@example.org"}
        )
        queues.append(queue)
    for i, queue in enumerate(queues[:2]):
        category, _ = KBCategory.objects.get_or_create(
            slug=f"faq-{queue.slug}",
            defaults={
                "name": f"{queue.title}常见问题",
                "title": f"{queue.title}常见问题",
                "description": "常见问题解答",
            },
        )
        if not category.kbitem_set.exists():
            for question, answer in ISSUES[i * 3 : i * 3 + 3]:
                KBItem.objects.create(category=category, title=question, question=answer, answer="请联系社区工作人员。")
    return queues


def weighted(rng: random.Random, pairs: list[tuple[int, int]]) -> int:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def load(count: int, seed: int, admin: object, agents: list[object], queues: list[Queue]) -> float:
    started = time.perf_counter()
    FollowUp.objects.all()._raw_delete(FollowUp.objects.db)
    Ticket.objects.all()._raw_delete(Ticket.objects.db)
    # keep the generated dates: bulk_create would otherwise stamp every row with now()
    Ticket._meta.get_field("created").auto_now_add = False
    Ticket._meta.get_field("modified").auto_now = False
    rng = random.Random(seed)
    now = timezone.now()
    staff = [admin, *agents]
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        tickets = []
        for i in range(done, done + size):
            place = rng.choice(PLACES)
            issue, text = rng.choice(ISSUES)
            created = now - dt.timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
            status = weighted(rng, STATUS_WEIGHTS)
            finished = status in (3, 4, 5)
            modified = created + dt.timedelta(hours=rng.uniform(2, 240)) if finished else created
            roll = rng.random()
            assignee = None if roll < 0.15 else (admin if roll < 0.35 else rng.choice(staff))
            tickets.append(
                Ticket(
                    title=f"{place}{issue}（{i + 1}）",
                    queue=rng.choice(queues),
                    created=created,
                    modified=min(modified, now),
                    submitter_email=f"resident{rng.randint(1, 50_000)}@example.org",
                    assigned_to=assignee,
                    status=status,
                    description=f"{place}居民反映：{text}",
                    resolution="已联系相关部门处理完毕，居民表示满意。" if finished else "",
                    priority=weighted(rng, PRIORITY_WEIGHTS),
                    due_date=created + dt.timedelta(days=rng.choice([3, 7, 15])),
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets, batch_size=BATCH)
            followups = []
            for ticket in tickets:
                followups.append(
                    FollowUp(ticket=ticket, date=ticket.created, title="Ticket Opened", comment=ticket.description)
                )
                if ticket.status in (3, 4):
                    followups.append(
                        FollowUp(
                            ticket=ticket,
                            date=ticket.modified,
                            title="已解决" if ticket.status == 3 else "已关闭",
                            comment=ticket.resolution,
                            user=ticket.assigned_to,
                            new_status=ticket.status,
                        )
                    )
            FollowUp.objects.bulk_create(followups, batch_size=BATCH)
        done += size
        print(f"  {done:,} / {count:,} tickets", file=sys.stderr)
    return time.perf_counter() - started


def analyze() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("helpdesk_ticket", "helpdesk_followup", "helpdesk_queue", "django_session"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--analyze", action="store_true", help="VACUUM ANALYZE / ANALYZE after loading")
    args = parser.parse_args()

    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    admin, agents = ensure_users()
    queues = ensure_queues()
    seconds = None
    if Ticket.objects.count() != args.tickets:
        print(f"loading {args.tickets:,} tickets into helpdesk …", file=sys.stderr)
        seconds = load(args.tickets, args.seed, admin, agents, queues)
    if args.analyze:
        analyze()
    client = Client()
    client.force_login(admin)
    print(
        "PEER_JSON "
        + json.dumps(
            {
                "tickets": Ticket.objects.count(),
                "followups": FollowUp.objects.count(),
                "queues": len(queues),
                "load_seconds": seconds,
                "vendor": connection.vendor,
                "username": ADMIN,
                "sessionid": client.cookies["sessionid"].value,
            }
        )
    )


if __name__ == "__main__":
    main()
