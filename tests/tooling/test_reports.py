from reports import reliability

SWARM_RUN = {
    "generated": "2026-01-02T03:04:05+00:00",
    "variants": {
        "alpine": {
            "swarm": {
                "rolling update": {
                    "requests": 812,
                    "ok": 812,
                    "update": "completed",
                    "update_seconds": 41.5,
                },
                "a replica killed": {
                    "requests": 640,
                    "ok": 637,
                    "replaced_within_seconds": 12.3,
                },
            }
        }
    },
}


def test_it_draws_the_swarm_figures_as_a_table_of_their_own():
    report = reliability.merge({}, SWARM_RUN)
    lines = reliability.section(report).splitlines()
    start = lines.index("| Swarm stack, replicas behind nginx | alpine |")
    assert lines[start + 2 :] == [
        "| a replica killed | 637 of 640 answered 200, replaced within 12.3 s |",
        "| rolling update | 812 of 812 answered 200, update completed, in 41.5 s |",
    ]


def test_it_gives_the_swarm_figures_a_column_only_where_the_swarm_ran():
    report = reliability.merge({}, SWARM_RUN)
    reliability.merge(
        report,
        {
            "generated": "2026-01-02T04:00:00+00:00",
            "variants": {"distroless": {"load": {"page views": {"requests": 5}}}},
        },
    )
    lines = reliability.section(report).splitlines()
    assert "|  | alpine | distroless |" in lines
    assert "| Swarm stack, replicas behind nginx | alpine |" in lines
    assert (
        "| rolling update | 812 of 812 answered 200, update completed, in 41.5 s |"
        in lines
    )


def test_it_draws_no_swarm_table_without_swarm_figures():
    report = reliability.merge(
        {},
        {
            "generated": "2026-01-02T03:04:05+00:00",
            "variants": {"alpine": {"load": {"page views": {"requests": 5}}}},
        },
    )
    assert "Swarm" not in reliability.section(report)
