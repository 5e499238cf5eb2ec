/*
 * password.c - password policy and Argon2id hashing (SEC-A1, A2).
 *
 * Passwords have 8 to 128 characters (code points, never truncated), are
 * not in the common list compiled from data/common-passwords.txt, and are
 * not the user name. Hashes are libsodium's crypto_pwhash_str strings
 * (Argon2id with a per-user salt).
 */
#include "modules/accounts/accounts.h"
#include "base/embed.h"
#include "base/str.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

extern const struct embedded_file data_files[];

static const char *common_list(void)
{
    for (const struct embedded_file *f = data_files; f->name; f++)
        if (strcmp(f->name, "common-passwords.txt") == 0)
            return f->data;
    return "";
}

static bool is_common(const char *pw)
{
    size_t n = strlen(pw);
    const char *p = common_list();
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len == n && p[0] != '#' && strncasecmp(p, pw, n) == 0)
            return true;
        if (eol == NULL)
            break;
        p = eol + 1;
    }
    return false;
}

const char *password_policy(const char *password, const char *username)
{
    size_t bytes = strlen(password);
    if (!utf8_valid(password, bytes))
        return "password_length";
    size_t chars = utf8_length(password, bytes);
    if (chars < 8 || chars > 128)
        return "password_length";
    if (is_common(password))
        return "password_common";
    if (username != NULL && strcasecmp(password, username) == 0)
        return "password_same_as_user";
    return NULL;
}

bool password_hash(const char *password, char *out, size_t cap)
{
    if (cap < crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char burn_hash[crypto_pwhash_STRBYTES];
static pthread_once_t burn_once = PTHREAD_ONCE_INIT;

static void burn_init(void)
{
    char pw[24];
    password_random(pw, 16);
    if (!password_hash(pw, burn_hash, sizeof(burn_hash)))
        burn_hash[0] = '\0';
}

void password_burn(void)
{
    /* A verification against a real hash of the same cost. */
    pthread_once(&burn_once, burn_init);
    if (crypto_pwhash_str_verify(burn_hash, "x", 1) == 0)
        burn_hash[0] = '\0'; /* cannot happen; keeps the result used */
}

void password_random(char *out, size_t n)
{
    /* No look-alike characters (0/O, 1/l/I). */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[n] = '\0';
}
