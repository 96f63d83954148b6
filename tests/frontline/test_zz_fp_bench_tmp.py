import datetime as dt, time
from decimal import Decimal
from django.utils import timezone
from grassroots.frontline.models import MemberReport, ServiceRecord, PointsEntry
from grassroots.frontline.services.points import points_recompute
from grassroots.frontline.services.points import ledger
from grassroots.people.models import Person, PartyMembership, Ethnicity


import pytest
@pytest.mark.django_db(transaction=True)
def test_bench(duty_world):
    w = duty_world
    dy = w.communities["dongyue"].region
    eth = Ethnicity.objects.get(code="01")
    n = 50_000
    Person.objects.bulk_create([Person(name=f"党员{i}", gender="male", ethnicity=eth, district_id=dy.district_id, street_id=dy.street_id, community_id=dy.pk) for i in range(n)], batch_size=2000)
    ids = list(Person.objects.filter(name__startswith="党员").values_list("pk", flat=True))
    PartyMembership.objects.bulk_create([PartyMembership(person_id=p, organization=w.duty.unit_branch, joined_on=dt.date(2000,1,1), category="in_service", home_unit=w.duty.unit) for p in ids], batch_size=2000)
    now = timezone.now()
    MemberReport.objects.bulk_create([MemberReport(person_id=p, home_unit=w.duty.unit, region=dy, channel="roster", status="confirmed", submitted_at=now, decided_at=now, district_id=dy.district_id, street_id=dy.street_id, community_id=dy.pk) for p in ids], batch_size=2000)
    ServiceRecord.objects.bulk_create([ServiceRecord(person_id=ids[i], region=dy, title="x", served_on=timezone.localdate(), hours=Decimal("2.5"), district_id=dy.district_id, street_id=dy.street_id, community_id=dy.pk) for i in range(25_000)], batch_size=2000)
    for label in ("new", "new again"):
        c, t = time.process_time(), time.perf_counter()
        r = points_recompute(progress=lambda m: print(round(time.process_time()-c, 2), m))
        print(label, r, "cpu", round(time.process_time() - c, 2), "wall", round(time.perf_counter() - t, 2))
    # compare with ORM bulk_create
    class Orm:
        def insert(self, batch):
            PointsEntry.objects.bulk_create([PointsEntry(**v) for v in batch], batch_size=1000)
    orig = ledger._Inserter
    ledger._Inserter = Orm
    c, t = time.process_time(), time.perf_counter()
    r = points_recompute(progress=lambda m: print(round(time.process_time()-c, 2), m))
    print("orm", r, "cpu", round(time.process_time() - c, 2), "wall", round(time.perf_counter() - t, 2))
    ledger._Inserter = orig
    from grassroots.frontline.feedback import unit_feedback_rows
    c = time.process_time()
    rows = unit_feedback_rows(unit=w.duty.unit, date_from=dt.date(2020,1,1), date_to=timezone.localdate())
    print("feedback rows", len(rows), "cpu", time.process_time() - c)


def test_pdf_out(duty_world, reported_member):
    from tests.frontline.test_points import wish_done
    from grassroots.frontline.feedback import unit_feedback_pdf, unit_feedback_xlsx
    wish_done(duty_world)
    d = unit_feedback_pdf(unit=duty_world.duty.unit, date_from=dt.date(2026,1,1), date_to=timezone.localdate())
    open("/tmp/fp_feedback.pdf", "wb").write(d)
    open("/tmp/fp_feedback.xlsx", "wb").write(unit_feedback_xlsx(unit=duty_world.duty.unit, date_from=dt.date(2026,1,1), date_to=timezone.localdate()))
