using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages;

/// <summary>Error pages in French (status codes and unexpected errors), without details that would help an attacker.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    [FromRoute]
    public int? Code { get; set; }

    public string Title => Code switch
    {
        404 => "Page introuvable",
        400 => "Requête invalide",
        403 => "Accès refusé",
        413 => "Requête trop volumineuse",
        429 => "Trop de requêtes",
        503 => "Service momentanément surchargé",
        _ => "Une erreur est survenue",
    };

    public string Message => Code switch
    {
        404 => "Cette adresse ne correspond à aucune page. Si vous suivez un lien d'invitation, demandez-en un nouveau à l'organisateur.",
        400 => "La requête n'a pas pu être traitée (formulaire expiré ? rechargez la page et recommencez).",
        403 => "Vous n'avez pas accès à cette page.",
        413 => "Le formulaire envoyé dépasse la taille admise pour cette page : rien n'a été enregistré. Raccourcissez les textes et recommencez.",
        429 => Security.RateLimits.Refusal(HttpContext) ?? "Trop de requêtes depuis votre adresse réseau : réessayez dans quelques minutes.",
        503 => "Le serveur est momentanément surchargé : réessayez dans un instant.",
        _ => "Le serveur n'a pas pu traiter la demande ; vos réponses déjà enregistrées ne sont pas perdues. Réessayez dans un instant.",
    };

    public void OnGet()
    {
    }

    public void OnPost()
    {
    }
}
