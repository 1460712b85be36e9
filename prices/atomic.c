/* atomic.c — temporary file, fsync, rename (see atomic.h). */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hpcc.h"

/* "dir/.name.tmp-XXXXXX" for "dir/name"; the directory into *dir. */
static char *temp_name(const char *path, char **dir)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    Buf d = {0}, t = {0};
    if (!slash) buf_puts(&d, ".");
    else if (dlen == 0) buf_puts(&d, "/");
    else buf_put(&d, path, dlen);
    buf_printf(&t, "%s/.%s.tmp-XXXXXX", d.p, base);
    *dir = d.p;
    return t.p;
}

static bool failed(char *err, size_t n, const char *what, const char *path, int e)
{
    snprintf(err, n, "cannot %s %s: %s", what, path, strerror(e));
    return false;
}

bool atomic_probe(const char *path, char *err, size_t n)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return failed(err, n, "write", path, EISDIR);
    char *dir, *tmp = temp_name(path, &dir);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0 || failed(err, n, "create a file in", dir, errno);
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(tmp);
    free(dir);
    return ok;
}

static bool write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            return false;
        }
        p += k;
        len -= (size_t)k;
    }
    return true;
}

bool atomic_write(const char *path, const char *data, size_t len, char *err, size_t n)
{
    char *dir, *tmp = temp_name(path, &dir);
    bool ok = false;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        failed(err, n, "create a file in", dir, errno);
        goto out;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !write_all(fd, data, len) || fsync(fd) != 0) {
        failed(err, n, "write", path, errno);
        close(fd);
        unlink(tmp);
        goto out;
    }
    if (close(fd) != 0) {
        failed(err, n, "write", path, errno);
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        failed(err, n, "write", path, errno);
        unlink(tmp);
        goto out;
    }
    /* The rename itself reaches the disk with the directory. */
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    ok = true;
out:
    free(tmp);
    free(dir);
    return ok;
}
