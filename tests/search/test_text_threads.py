from concurrent.futures import ThreadPoolExecutor

from search.text import reading


def test_readings_are_found_by_several_threads_at_once():
    # A threaded server (GUNICORN_THREADS) reads queries and documents in parallel; one
    # Sudachi tokenizer refuses a second thread while in use.
    sentences = [f"冒険遊び場の活動{n}回目、区役所と地域の協働" for n in range(400)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        readings = list(pool.map(reading, sentences))

    assert all(text.startswith("ぼうけんあそびば") for text in readings)
