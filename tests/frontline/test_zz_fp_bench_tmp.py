import datetime as dt, time, cProfile, pstats
from decimal import Decimal
from django.utils import timezone
from django.db.models.deletion import Collector
from grassroots.frontline.models import MemberReport, ServiceRecord, PointsEntry
from grassroots.frontline.services.points import points_recompute
from grassroots.people.models import Person, PartyMembership, Ethnicity


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
    ServiceRecord.objects.bulk_create([ServiceRecord(person_id=ids[i], region=dy, title="x", served_on=timezone.localdate(), hours=Decimal("2"), district_id=dy.district_id, street_id=dy.street_id, community_id=dy.pk) for i in range(25_000)], batch_size=2000)
    points_recompute()
    print("fast delete?", Collector(using="default").can_fast_delete(PointsEntry.objects.all()))
    prof = cProfile.Profile()
    prof.enable()
    r = points_recompute(progress=lambda m: print(time.perf_counter(), m))
    prof.disable()
    print(r)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
