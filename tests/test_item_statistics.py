"""HR's item statistics: figures released with bounded noise, the pages,
who is counted, and the attacker who supplied every result but one."""

import math

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from assessments.banks import statistics
from assessments.cohorts import services as cohort_services
from assessments.content import noisy_statistics as noisy
from assessments.content import psychometrics, scoring, simulation
from assessments.models import Attempt, Dimension, Participant, Release, StatisticsBlock
from tests.helpers import add_people, bulk_results, complete

# Blocks this small keep the database tests quick; the noise is worked out
# for whatever size a block has, so only readability depends on it.
SMALL_BLOCK = 40


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(statistics, "BLOCK_SIZE", SMALL_BLOCK)
    return SMALL_BLOCK


# The bound on one person ---------------------------------------------------------


points_matrices = st.integers(2, 12).flatmap(
    lambda items: st.integers(2, 30).flatmap(
        lambda people: arrays(
            np.float64,
            (people, items),
            elements=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 0.05, 0.9]),
        )
    )
)


@given(data=points_matrices, row=st.data())
@settings(max_examples=300)
def test_one_persons_answers_move_the_figures_by_no_more_than_the_bound(data, row):
    """Whatever the other results are, any answers of one person in place
    of theirs move the means and the moments released by at most the
    sensitivities the noise is worked out for."""
    people, items = data.shape
    index = row.draw(st.integers(0, people - 1))
    other = row.draw(
        arrays(np.float64, items, elements=st.sampled_from([0.0, 1.0, 0.5, 0.25, 0.15]))
    )
    changed = data.copy()
    changed[index] = other
    means, moments = noisy.exact_figures(data)
    means2, moments2 = noisy.exact_figures(changed)
    assert np.linalg.norm(means - means2) <= noisy.mean_sensitivity(items, people) + 1e-12
    assert np.linalg.norm(moments - moments2) <= noisy.moment_sensitivity(items, people) + 1e-12


def test_the_moment_bound_is_reached_so_it_is_not_loose_by_accident():
    """All ends against alternating ends: the two answers' squared lengths
    are K/4 each and they are orthogonal, which is where the bound comes from."""
    items, people = 8, 10
    data = np.full((people, items), 0.5)
    data[0] = 1.0
    changed = data.copy()
    changed[0] = np.tile([0.0, 1.0], items // 2)
    full = np.outer(data[0] - 0.5, data[0] - 0.5) - np.outer(changed[0] - 0.5, changed[0] - 0.5)
    assert np.linalg.norm(full / people) == pytest.approx(noisy.moment_sensitivity(items, people))


def test_a_releases_noise_costs_exactly_the_blocks_budget():
    rng = np.random.default_rng(1)
    points = {key: rng.uniform(size=(500, k)) for key, k in (("a", 11), ("b", 8), ("c", 3))}
    released = noisy.release(points, rng=rng)
    spent = 0.0
    for key, part in released["dimensions"].items():
        people, items = points[key].shape
        spent += noisy.mean_sensitivity(items, people) ** 2 / (2 * part["sigma_means"] ** 2)
        spent += noisy.moment_sensitivity(items, people) ** 2 / (2 * part["sigma_moments"] ** 2)
    assert spent == pytest.approx(noisy.BLOCK_RHO)
    assert released["method"] == noisy.METHOD


def test_the_noise_is_really_there_at_the_size_it_claims():
    rng = np.random.default_rng(2)
    data = {"a": rng.uniform(size=(200, 6))}
    exact_means, _ = noisy.exact_figures(data["a"])
    draws = np.array([noisy.release(data, rng=rng)["dimensions"]["a"]["means"] for _ in range(400)])
    sigma = noisy.release(data, rng=rng)["dimensions"]["a"]["sigma_means"]
    assert np.std(draws - exact_means) == pytest.approx(sigma, rel=0.1)
    assert abs(np.mean(draws - exact_means)) < 4 * sigma / math.sqrt(draws.size)


def test_without_noise_the_figures_are_the_textbook_ones():
    """The figures worked out from the moments equal Cronbach's alpha and
    the corrected item-total correlations computed directly (psychometrics,
    itself checked against a reference): the post-processing is right."""
    rng = np.random.default_rng(3)
    trait = rng.normal(size=(300, 1))
    data = np.clip(0.5 + 0.2 * trait + rng.normal(scale=0.2, size=(300, 7)), 0, 1)
    means, moments = noisy.exact_figures(data)
    part = {
        "people": 300,
        "means": means.tolist(),
        "moments": moments.tolist(),
        "sigma_means": 0.0,
        "sigma_moments": 0.0,
    }
    shown = noisy.figures([part])
    assert shown.alpha == pytest.approx(psychometrics.cronbach_alpha(data), abs=1e-9)
    assert shown.item_totals == pytest.approx(psychometrics.item_total_correlations(data), abs=1e-9)
    assert shown.means == pytest.approx(list(data.mean(axis=0)), abs=1e-9)


# The eighth review's attack, replayed against the noise ------------------------------


def designed_block(victim: np.ndarray, people: int = 2000) -> np.ndarray:
    """The review's block: every other result answers one value to every
    statement (51 in 200 answer 4, the rest 3; half the statements seller-
    keyed, so their points are 0.75 or 0.25 on those), the victim last."""
    items = victim.shape[0]
    keyed = np.tile([1.0, 0.0], items // 2)  # leader-keyed, then seller-keyed
    rows = []
    for index in range(people - 1):
        value = 0.75 if index % 200 < 51 else 0.5
        rows.append(keyed * value + (1 - keyed) * (1 - value))
    return np.vstack([*rows, victim])


def test_the_designed_attack_tells_two_victims_apart_no_better_than_the_bound():
    """With everything else chosen by the attacker, two victims at opposite
    ends on every statement (the pair that moves the figures most) give
    releases whose noise-scaled distance is within sqrt(2 rho), so the best
    guess between them is right at most 56.3% of the time, and an attacker
    who knows every other result and the noise's size does no better in
    practice."""
    items = 8
    seller, leader = np.tile([0.0, 1.0], 4), np.tile([1.0, 0.0], 4)
    blocks = {name: designed_block(v) for name, v in (("seller", seller), ("leader", leader))}
    figures = {name: noisy.exact_figures(block) for name, block in blocks.items()}
    released = noisy.release({"d": blocks["seller"]}, rng=np.random.default_rng(0))["dimensions"]
    sigma_m, sigma_c = released["d"]["sigma_means"], released["d"]["sigma_moments"]
    gap = math.hypot(
        np.linalg.norm(figures["seller"][0] - figures["leader"][0]) / sigma_m,
        np.linalg.norm(figures["seller"][1] - figures["leader"][1]) / sigma_c,
    )
    assert gap <= math.sqrt(2 * noisy.BLOCK_RHO) + 1e-9
    bound = noisy.best_guess_right(noisy.BLOCK_RHO)  # the item statistics alone
    assert bound == pytest.approx(0.5628, abs=1e-4)
    assert noisy.best_guess_right() == pytest.approx(0.5688, abs=1e-4)  # with the histogram

    # The attacker's best test: which of the two exact figures is nearer,
    # in noise deviations, to what was released.
    rng = np.random.default_rng(5)
    right, trials = 0, 600
    for trial in range(trials):
        truth = "seller" if trial % 2 else "leader"
        part = noisy.release({"d": blocks[truth]}, rng=rng)["dimensions"]["d"]
        shown_m, shown_c = np.asarray(part["means"]), np.asarray(part["moments"])

        def distance(name, shown_m=shown_m, shown_c=shown_c):
            means, moments = figures[name]
            return np.sum(((shown_m - means) / sigma_m) ** 2) + np.sum(
                ((shown_c - moments) / sigma_c) ** 2
            )

        guess = min(("seller", "leader"), key=distance)
        right += guess == truth
    assert right / trials <= bound + 3 * math.sqrt(0.25 / trials)
    assert items == 8


# Readable at the block size ------------------------------------------------------------


def simulated_block(seed: int, people: int) -> dict[str, np.ndarray]:
    """Item points of simulated people on the default bank's version 2."""
    from assessments.banks.rules import DEFAULT_BANK_PATHS, read_bank_file

    data = read_bank_file(DEFAULT_BANK_PATHS[-1])
    specs = [
        simulation.ItemSpec(
            index,
            entry["dimension"],
            entry.get("pole", ""),
            tuple(option["position"] for option in entry.get("options", [])),
        )
        for index, entry in enumerate(data["items"])
    ]
    crowd = simulation.simulate(specs, people, seed=seed)

    def points(spec, value):
        if spec.positions:
            return spec.positions[value - 1] / 100
        return scoring.item_points(spec.pole, value)

    return {
        key: np.array(
            [[points(s, p.answers[s.key]) for s in specs if s.dimension == key] for p in crowd]
        )
        for key in dict.fromkeys(spec.dimension for spec in specs)
    }


def test_one_block_of_2000_reads_alpha_to_a_few_hundredths_and_its_range_holds_it():
    assert statistics.BLOCK_SIZE == 2000
    covered = trials = 0
    for seed in range(6):
        block = simulated_block(seed, statistics.BLOCK_SIZE)
        released = noisy.release(block, rng=np.random.default_rng(100 + seed))
        for key, points in block.items():
            shown = noisy.figures([released["dimensions"][key]])
            exact = psychometrics.cronbach_alpha(points)
            assert shown.alpha is not None and exact is not None
            assert abs(shown.alpha - exact) < 0.06
            assert shown.alpha_high - shown.alpha_low < 0.12  # type: ignore[operator]
            covered += shown.alpha_low <= exact <= shown.alpha_high  # type: ignore[operator]
            trials += 1
            margins = [m for m in shown.item_total_margins if m is not None]
            assert max(margins) < 0.4
    assert covered >= trials - 1


# The pages and the blocks --------------------------------------------------------------


def test_below_one_block_the_pages_say_why_and_show_no_figure(
    hr_client, bank_version, cohort, small_blocks
):
    bulk_results(bank_version, SMALL_BLOCK - 1)
    page = hr_client.get(reverse("banks:version_statistics", args=[bank_version.pk])).text
    assert f"The statistics appear once {SMALL_BLOCK} results are in; 39 are in so far." in page
    assert "statistics-table" not in page
    assert not StatisticsBlock.objects.exists()


def test_a_full_block_shows_every_difference_with_ranges_and_the_bound(
    hr_client, bank_version, small_blocks
):
    bulk_results(bank_version, SMALL_BLOCK)
    page = hr_client.get(reverse("banks:version_statistics", args=[bank_version.pk])).text
    assert page.count("statistics-table") == 3
    assert "right at most 56.9% of the time" in page
    (block,) = StatisticsBlock.objects.all()
    assert block.results == SMALL_BLOCK
    # What is kept is the noisy release and which items it covers, nothing finer.
    for part in block.figures["dimensions"].values():
        assert set(part) == {"people", "means", "moments", "sigma_means", "sigma_moments", "items"}


def test_a_block_of_2000_reads_as_figures_with_their_ranges(hr_client, bank_version):
    """A block released from 2,000 simulated people (made directly: the
    page reads releases only) shows each alpha with its range and each
    correlation with its margin, and flags by the rules."""
    rng = np.random.default_rng(8)
    trait = rng.normal(size=(2000, 1))
    points, members = {}, {}
    for dimension in Dimension.objects.all():
        items = list(bank_version.items.filter(dimension=dimension).order_by("order"))
        # Keyed points: towards the leader end with the trait, whatever the pole.
        latent = trait + rng.normal(size=(2000, len(items)))
        points[str(dimension.pk)] = np.clip(np.round(2 + latent) / 4, 0, 1)
        members[str(dimension.pk)] = [item.pk for item in items]
    figures = noisy.release(points, rng=rng)
    for key, part in figures["dimensions"].items():
        part["items"] = members[key]
    StatisticsBlock.objects.create(version=bank_version, results=2000, figures=figures)
    shown = statistics.version_statistics(bank_version)
    page = hr_client.get(reverse("banks:version_statistics", args=[bank_version.pk])).text
    for row in shown.dimensions:
        assert row.alpha is not None and row.lower is not None and row.upper is not None
        assert row.lower < row.alpha < row.upper and row.upper - row.lower < 0.15
        assert f"<strong>{row.alpha:.2f}</strong>" in page
        assert f"95% range {row.lower:.2f} to {row.upper:.2f}" in page
    assert page.count("± ") == bank_version.items.count()


def test_what_a_block_keeps_is_noisy_within_the_noise_it_claims(bank_version, small_blocks):
    bulk_results(bank_version, SMALL_BLOCK, seed=4)
    statistics.blocks_form(bank_version)
    block = StatisticsBlock.objects.get()
    items = list(bank_version.items.order_by("order"))
    attempts = Attempt.objects.filter(result__statistics_block__block=block)
    answers = statistics._answer_matrix(items, attempts.values_list("pk", flat=True))
    for part in block.figures["dimensions"].values():
        columns = [i for i, item in enumerate(items) if item.pk in part["items"]]
        points = np.column_stack([statistics._keyed(items[i], answers[:, i]) for i in columns])
        exact, _ = noisy.exact_figures(points)
        off = (np.asarray(part["means"]) - exact) / part["sigma_means"]
        assert not np.allclose(off, 0)  # noise was added
        assert np.all(np.abs(off) < 6)  # of the size it says


def test_blocks_of_the_rounding_method_are_left_out(bank_version, small_blocks):
    StatisticsBlock.objects.create(
        version=bank_version, results=200, figures={"dimensions": [{"alpha": 0.8}]}
    )
    shown = statistics.version_statistics(bank_version)
    assert (shown.blocks, shown.results, shown.shown) == (0, 0, False)


def released(cohort, team, people) -> Release:
    """Put people in one release of their team's figures, as publish_if_due does."""
    release = Release.objects.create(cohort=cohort, team=team, count=len(people), step=5)
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(
        release=release, published_at=release.released_at
    )
    return release


def test_a_cohort_counts_only_results_in_its_team_figures(cohort, bank_version, small_blocks):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, SMALL_BLOCK + 1, "emea")
    waiting = add_people(cohort, us, 3, "us")  # fewer than the minimum: in no release
    bulk_results(bank_version, len(people), participants=people)
    for person in waiting:
        complete(person)
    shown = statistics.cohort_statistics(cohort)
    assert (shown.results, shown.waiting, shown.shown) == (0, 0, False)  # nothing released
    Participant.objects.filter(pk=people[0].pk).update(shared_at=timezone.now())
    released(cohort, emea, people[1:])
    shown = statistics.cohort_statistics(cohort)
    assert (shown.results, shown.blocks, shown.waiting) == (SMALL_BLOCK, 1, 0)


def test_each_result_is_released_once(bank_version, small_blocks):
    """A block's release is made when it fills and never again: a result
    added after, or one of its own deleted, changes nothing until a new
    block fills; then the figures combine both releases."""
    bulk_results(bank_version, SMALL_BLOCK, seed=1)
    first = statistics.version_statistics(bank_version)
    (block,) = StatisticsBlock.objects.all()
    kept = block.figures
    for seed in range(2, 6):  # one result at a time, each different
        bulk_results(bank_version, 1, seed=seed)
        again = statistics.version_statistics(bank_version)
        assert again.dimensions == first.dimensions and again.waiting == seed - 1
    Attempt.objects.filter(result__statistics_block__block=block)[:1].get().delete()
    assert statistics.version_statistics(bank_version).dimensions == first.dimensions
    block.refresh_from_db()
    assert block.figures == kept
    assert block.results == SMALL_BLOCK and block.members.count() == SMALL_BLOCK - 1

    bulk_results(bank_version, SMALL_BLOCK - 4, seed=9)
    both = statistics.version_statistics(bank_version)
    assert (both.blocks, both.results, both.waiting) == (2, 2 * SMALL_BLOCK, 0)
    second = StatisticsBlock.objects.exclude(pk=block.pk).get()
    assert not {m.result_id for m in second.members.all()} & {
        m.result_id for m in block.members.all()
    }
    for row in both.dimensions:
        key = str(row.dimension.pk)
        parts = [block.figures["dimensions"][key], second.figures["dimensions"][key]]
        assert [r.mean for r in row.items] == pytest.approx(
            list(np.clip(np.mean([p["means"] for p in parts], axis=0), 0, 1))
        )


def test_a_cohorts_results_are_its_own_until_it_closes(cohort, bank_version, small_blocks):
    """While open, a cohort's results fill blocks of its own; once it closes,
    those in no block go to the version's own stream, with results taken
    alone. No result is in two blocks."""
    emea = cohort.teams.order_by("name").first()
    people = add_people(cohort, emea, SMALL_BLOCK + 10, "emea")
    bulk_results(bank_version, len(people), participants=people)
    released(cohort, emea, people)
    bulk_results(bank_version, SMALL_BLOCK - 10)  # taken alone
    assert statistics.blocks_form(bank_version) == 1
    assert StatisticsBlock.objects.get().cohort == cohort
    assert statistics.blocks_form(bank_version) == 0  # nothing formed twice
    cohort_services.cohort_close(cohort=cohort)
    assert statistics.blocks_form(bank_version) == 1
    assert (
        StatisticsBlock.objects.filter(cohort=None)
        .get()
        .members.filter(result__attempt__participant__cohort=cohort)
        .count()
        == 10
    )
    assert statistics.version_statistics(bank_version).blocks == 2
    assert statistics.cohort_statistics(cohort).blocks == 1


def test_only_hr_admins_read_item_statistics(client, participant, manager, bank_version, cohort):
    for user in (participant, manager):
        client.force_login(user)
        for url in (
            reverse("banks:version_statistics", args=[bank_version.pk]),
            reverse("cohorts:statistics", args=[cohort.pk]),
        ):
            assert client.get(url).status_code == 403


def test_a_statement_is_clearly_weak_only_when_its_whole_range_is_under_the_line():
    from assessments.models import Item

    item = Item(pole=scoring.LEADER, text="x", order=1)
    assert statistics.ItemRow(item, 0.5, 0.2, 0.05).surely_weak
    unsure = statistics.ItemRow(item, 0.5, 0.2, 0.2)
    assert unsure.weak and not unsure.surely_weak
    assert not statistics.ItemRow(item, 0.5, 0.45, 0.1).weak
    seller = Item(pole=scoring.SELLER, text="y", order=2)
    assert statistics.ItemRow(seller, 0.25, 0.5, 0.1).mean_shown == 4.0


# Percentiles from the blocks' histograms -----------------------------------------------


@given(
    scores=st.lists(st.floats(0, 100), min_size=2, max_size=60),
    index=st.integers(0, 59),
    other=st.floats(0, 100),
)
def test_one_persons_score_moves_the_histogram_by_no_more_than_the_bound(scores, index, other):
    changed = list(scores)
    changed[index % len(scores)] = other
    # The same noise for both, so the gap is the exact counts' gap.
    first = noisy.release_histogram(scores, rng=np.random.default_rng(1))
    second = noisy.release_histogram(changed, rng=np.random.default_rng(1))
    gap = np.linalg.norm(np.asarray(first["counts"]) - np.asarray(second["counts"]))
    assert gap <= noisy.histogram_sensitivity() + 0.02  # counts are kept to 2 decimals
    assert len(first["counts"]) == noisy.BINS


def test_the_histogram_costs_its_share_and_reads_shares_exactly_without_noise():
    sigma = noisy.release_histogram([50.0])["sigma"]
    assert noisy.histogram_sensitivity() ** 2 / (2 * sigma**2) == pytest.approx(noisy.HISTOGRAM_RHO)
    scores = [5.0, 12.5, 12.5, 40.0, 97.0, 100.0]
    counts = np.zeros(noisy.BINS)
    for score in scores:
        counts[min(19, int(score // 5))] += 1
    exact = [{"people": len(scores), "counts": counts.tolist(), "sigma": 0.0}]
    assert noisy.share_below(exact, 40.0) == pytest.approx(3 / 6)
    assert noisy.share_below(exact, 0.0) == 0
    assert noisy.share_below(exact, 12.5) == pytest.approx(1 / 6 + 0.5 * 2 / 6)


def test_a_result_reads_its_percentile_once_a_block_is_released(client, bank_version, small_blocks):
    from tests.helpers import submitted_result

    early = submitted_result(bank_version, value=lambda item: item.order % 5 + 1)
    assert "have a lower overall score" not in client.get(f"/results/{early.token}/").text
    bulk_results(bank_version, SMALL_BLOCK - 1, seed=6)
    assert statistics.blocks_form(bank_version) == 1
    block = StatisticsBlock.objects.get()
    assert block.figures["overall"]["people"] == SMALL_BLOCK
    mine = submitted_result(bank_version, value=lambda item: (item.order * 3) % 5 + 1)
    share = noisy.share_below([block.figures["overall"]], mine.overall)
    expected = min(99, max(1, round(100 * share)))
    page = client.get(f"/results/{mine.token}/").text
    assert (
        f"Among the {SMALL_BLOCK} results of this version of the assessment in your "
        f"organisation so far, about {expected}% have a lower overall score than yours. " in page
    )
    unclear = submitted_result(bank_version, value=3)
    assert unclear.unclear == "same_answer"
    assert "have a lower overall score" not in client.get(f"/results/{unclear.token}/").text


def test_the_command_releases_every_full_block(bank_version, small_blocks, capsys):
    from django.core.management import call_command

    bulk_results(bank_version, 2 * SMALL_BLOCK + 3)
    call_command("form_statistics_blocks")
    assert "Released 2 new blocks." in capsys.readouterr().out
    call_command("form_statistics_blocks")
    assert "Released 0 new blocks." in capsys.readouterr().out
