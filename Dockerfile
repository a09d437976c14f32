# The Jianxi image for docker-compose.yml: the service without the encoder extra.
FROM python:3.11-slim
WORKDIR /opt/jianxi
COPY pyproject.toml README.md wsgi.py gunicorn.conf.py babel.cfg ./
COPY app app
COPY matching matching
COPY seed seed
COPY migrations migrations
RUN pip install --no-cache-dir -e . && useradd --system jianxi && mkdir instance && chown jianxi instance
USER jianxi
# The compiled loops of matching/kernels.py are cached where the service may write.
ENV NUMBA_CACHE_DIR=/opt/jianxi/instance/numba-cache
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
