# casewatch: a static binary on a distroless base, run as a non-root user, no shell.
#
#   docker build -t casewatch .          (or: podman build -t casewatch .)
#   docker run -p 8080:8080 -v casewatch-data:/data casewatch
#
# GO_IMAGE and RUNTIME_IMAGE may be replaced (--build-arg) by mirrors or local images; the
# build stage needs only the go command (no shell), the runtime stage nothing at all.
ARG GO_IMAGE=docker.io/library/golang:1.26-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${GO_IMAGE} AS build
WORKDIR /src
# modernc.org/sqlite is pure Go: no cgo, so the binary is static and needs no libc.
ENV CGO_ENABLED=0 GOOS=linux
COPY go.mod go.sum ./
RUN ["go", "mod", "download"]
COPY . .
RUN ["go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/out/casewatch", "./server"]
# An empty directory for the SQLite default (and anything else written at run time). Some
# builders create a WORKDIR only when a step runs in it: hence the RUN.
WORKDIR /out/data
RUN ["go", "version"]

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/casewatch /casewatch
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
# 65532 is distroless's "nonroot"; numeric, so that a base without /etc/passwd works too.
USER 65532:65532
ENV ADDR=:8080 \
    DATABASE_URL=sqlite:/data/casewatch.db \
    LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=3m --retries=3 CMD ["/casewatch", "healthcheck"]
ENTRYPOINT ["/casewatch"]
CMD ["serve"]
