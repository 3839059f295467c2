import time
from tests.test_leak_probe import *  # noqa

def test_prof(db, world):
    t=time.perf_counter()
    for _ in range(20): s = database_state()
    print("snapshot", (time.perf_counter()-t)/20*1000, "ms", {k: len(v) for k,v in s.items()})
    c = client_for(world, "participant_b")
    for url in ["/hr/", "/admin/assessments/attempt/", "/me/", "/dashboards/teams/%s/" % world.values["team_id"]]:
        t=time.perf_counter()
        for _ in range(10): r = c.get(url)
        print(url, r.status_code, (time.perf_counter()-t)/10*1000, "ms")
    c = client_for(world, "hr_admin")
    for url in ["/hr/", "/hr/cohorts/%s/" % world.values["cohort_id"], "/dashboards/teams/%s/" % world.values["team_id"]]:
        t=time.perf_counter()
        for _ in range(5): r = c.get(url)
        print(url, r.status_code, (time.perf_counter()-t)/5*1000, "ms")
